using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Lepton.Operator.Controllers.Api;
using Lepton.Operator.Resilience;

namespace Lepton.Operator.LeaderElection;

/// <summary>
/// A coordination.k8s.io/v1 Lease as the leader-election lock. Writes the JSON itself so that
/// <c>acquireTime</c>/<c>renewTime</c> are always MicroTime (<c>2006-01-02T15:04:05.000000Z</c>), which the API
/// server requires (the client's serializer drops the fraction of whole seconds).
/// </summary>
public sealed class KubernetesLeaseLock : ILeaseLock
{
    private readonly KubeHttp _http;
    private readonly string _namespace;
    private readonly string _name;
    private readonly string _collectionPath;

    /// <summary>Creates the lock.</summary>
    /// <param name="client">The API client.</param>
    /// <param name="namespace">The Lease namespace.</param>
    /// <param name="name">The Lease name.</param>
    public KubernetesLeaseLock(k8s.Kubernetes client, string @namespace, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        ArgumentException.ThrowIfNullOrEmpty(name);
        _http = new KubeHttp(client);
        _namespace = @namespace;
        _name = name;
        _collectionPath = $"/apis/coordination.k8s.io/v1/namespaces/{Uri.EscapeDataString(@namespace)}/leases";
    }

    /// <inheritdoc />
    public string Description => $"{_namespace}/{_name}";

    /// <summary>Formats <paramref name="time"/> as a k8s.Kubernetes MicroTime.</summary>
    /// <param name="time">The time.</param>
    /// <returns>The text, e.g. <c>2026-01-02T03:04:05.000000Z</c>.</returns>
    public static string FormatMicroTime(DateTimeOffset time)
        => LeaseRecord.ToMicroTime(time).UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public async Task<LeaseSnapshot?> GetAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.SendAsync(HttpMethod.Get, $"{_collectionPath}/{Uri.EscapeDataString(_name)}", null, cancellationToken).ConfigureAwait(false);
            return await ReadAsync(response, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (KubeApiErrors.IsNotFound(e))
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<LeaseSnapshot> CreateAsync(LeaseRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            using var response = await _http.SendAsync(HttpMethod.Post, _collectionPath, Serialize(record, null), cancellationToken).ConfigureAwait(false);
            return await ReadAsync(response, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (KubeApiErrors.IsConflict(e))
        {
            throw new ConflictException($"Lease {Description} already exists.", e);
        }
    }

    /// <inheritdoc />
    public async Task<LeaseSnapshot> UpdateAsync(LeaseSnapshot current, LeaseRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            using var response = await _http.SendAsync(HttpMethod.Put, $"{_collectionPath}/{Uri.EscapeDataString(_name)}", Serialize(record, current.ResourceVersion), cancellationToken).ConfigureAwait(false);
            return await ReadAsync(response, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (KubeApiErrors.IsConflict(e))
        {
            throw new ConflictException($"Lease {Description} changed since resourceVersion {current.ResourceVersion}.", e);
        }
    }

    private static async Task<LeaseSnapshot> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var lease = KubernetesJson.Deserialize<V1Lease>(body);
        var spec = lease.Spec ?? new V1LeaseSpec();
        var record = new LeaseRecord(
            spec.HolderIdentity ?? string.Empty,
            spec.LeaseDurationSeconds ?? 0,
            ToOffset(spec.AcquireTime),
            ToOffset(spec.RenewTime),
            spec.LeaseTransitions ?? 0);
        return new LeaseSnapshot(record, lease.Metadata?.ResourceVersion ?? throw new InvalidDataException("A Lease without resourceVersion."));
    }

    private static DateTimeOffset? ToOffset(DateTime? time)
        => time is { } t ? LeaseRecord.ToMicroTime(new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc))) : null;

    private string Serialize(LeaseRecord record, string? resourceVersion)
    {
        var metadata = new JsonObject { ["name"] = _name, ["namespace"] = _namespace };
        if (resourceVersion is not null)
        {
            metadata["resourceVersion"] = resourceVersion;
        }

        var spec = new JsonObject
        {
            ["holderIdentity"] = record.HolderIdentity,
            ["leaseDurationSeconds"] = record.LeaseDurationSeconds,
            ["leaseTransitions"] = record.LeaseTransitions,
        };
        if (record.AcquireTime is { } acquired)
        {
            spec["acquireTime"] = FormatMicroTime(acquired);
        }

        if (record.RenewTime is { } renewed)
        {
            spec["renewTime"] = FormatMicroTime(renewed);
        }

        return new JsonObject
        {
            ["apiVersion"] = "coordination.k8s.io/v1",
            ["kind"] = "Lease",
            ["metadata"] = metadata,
            ["spec"] = spec,
        }.ToJsonString();
    }
}
