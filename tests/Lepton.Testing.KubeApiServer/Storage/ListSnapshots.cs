using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Errors;

namespace Lepton.Testing.KubeApiServer.Storage;

/// <summary>
/// Consistent paging: the first page of a limited list remembers the full result at its resourceVersion,
/// and continue tokens walk that snapshot. Tokens expire when history is compacted past them (410 Expired),
/// as etcd compaction expires real ones.
/// </summary>
internal sealed class ListSnapshots(int capacity)
{
    private readonly Dictionary<long, Snapshot> _snapshots = [];
    private readonly Queue<long> _order = new();
    private long _nextId;

    public ListResult FirstPage(IReadOnlyList<JsonObject> items, long resourceVersion, int? limit)
    {
        if (limit is not > 0 || items.Count <= limit)
        {
            return new ListResult(items, resourceVersion, null, null);
        }

        var id = ++_nextId;
        _snapshots[id] = new Snapshot(resourceVersion, items);
        _order.Enqueue(id);
        while (_order.Count > Math.Max(1, capacity))
        {
            _snapshots.Remove(_order.Dequeue());
        }

        return Page(id, _snapshots[id], 0, limit.Value);
    }

    public ListResult NextPage(string token, int? limit, long historyFloor)
    {
        var (id, rv, offset) = Decode(token);
        if (!_snapshots.TryGetValue(id, out var snapshot) || rv < historyFloor || snapshot.ResourceVersion != rv)
        {
            throw ApiErrors.Expired(
                "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
        }

        return Page(id, snapshot, offset, limit is > 0 ? limit.Value : int.MaxValue);
    }

    public void Clear()
    {
        _snapshots.Clear();
        _order.Clear();
    }

    private static ListResult Page(long id, Snapshot snapshot, int offset, int limit)
    {
        var items = snapshot.Items.Skip(offset).Take(limit).ToArray();
        var next = offset + items.Length;
        var remaining = snapshot.Items.Count - next;
        return remaining > 0
            ? new ListResult(items, snapshot.ResourceVersion, Encode(id, snapshot.ResourceVersion, next), remaining)
            : new ListResult(items, snapshot.ResourceVersion, null, null);
    }

    private static string Encode(long id, long rv, int offset)
    {
        var json = new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = rv, ["id"] = id, ["offset"] = offset }.ToJsonString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static (long Id, long ResourceVersion, int Offset) Decode(string token)
    {
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var node = JsonNode.Parse(Convert.FromBase64String(base64)) as JsonObject ?? throw new FormatException("not an object");
            return (Required(node, "id"), Required(node, "rv"), (int)Required(node, "offset"));
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            throw ApiErrors.BadRequest("continue key is not valid: " + e.Message);
        }
    }

    private static long Required(JsonObject node, string key) =>
        node[key]?.GetValue<long>() ?? throw new FormatException("missing " + key);

    private sealed record Snapshot(long ResourceVersion, IReadOnlyList<JsonObject> Items);
}
