using System.Collections.Concurrent;

namespace Lepton.Testing.KubeApiServer.Diagnostics;

/// <summary>Every request the server answered, in arrival order, and the RBAC permissions they needed.</summary>
public sealed class RequestLog
{
    private readonly ConcurrentQueue<RequestRecord> _records = new();

    public IReadOnlyList<RequestRecord> Entries => _records.ToArray();

    public int Count => _records.Count;

    /// <summary>The distinct (verb, group, resource[/subresource]) set of all resource requests, sorted by group, resource, verb.</summary>
    public IReadOnlyList<ApiPermission> Permissions() =>
        _records.Where(r => r.IsResourceRequest && r.Resource.Length > 0)
            .Select(r => new ApiPermission(r.Verb, r.ApiGroup, r.ResourceWithSubresource))
            .Distinct()
            .Order()
            .ToArray();

    public void Clear() => _records.Clear();

    internal void Add(RequestRecord record) => _records.Enqueue(record);
}
