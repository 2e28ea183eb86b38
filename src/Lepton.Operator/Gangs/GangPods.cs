using System.Globalization;
using k8s.Models;
using Lepton.Operator.Jobs;

namespace Lepton.Operator.Gangs;

/// <summary>How gang admission reads a member pod's state from its gate, annotations and binding.</summary>
public static class GangPods
{
    /// <summary>The name of the pod-cache index of reserved-but-unbound members (see <see cref="ByReservedUnbound"/>).</summary>
    public const string ReservedUnboundIndex = "lepton.ai/reserved-unbound";

    /// <summary>The value pods are indexed under in <see cref="ReservedUnboundIndex"/>.</summary>
    public const string ReservedUnboundValue = "true";

    /// <summary>Whether the pod still carries the gang's scheduling gate.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>True while gated.</returns>
    public static bool IsGated(V1Pod pod) => pod?.Spec?.SchedulingGates?.Any(g => g.Name == LeptonJobKeys.GangSchedulingGate) == true;

    /// <summary>The node the member is reserved on, or null.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>The reserved node.</returns>
    public static string? ReservedNode(V1Pod pod) =>
        pod?.Metadata?.Annotations is { } a && a.TryGetValue(LeptonJobKeys.ReservedNodeAnnotation, out var node) && !string.IsNullOrWhiteSpace(node) ? node.Trim() : null;

    /// <summary>The admission batch of the member (its <c>lepton.ai/admitted-at</c> value), or null.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>The batch.</returns>
    public static string? AdmittedAt(V1Pod pod) =>
        pod?.Metadata?.Annotations is { } a && a.TryGetValue(LeptonJobKeys.AdmittedAtAnnotation, out var at) && !string.IsNullOrEmpty(at) ? at : null;

    /// <summary>Parses an <c>lepton.ai/admitted-at</c> value.</summary>
    /// <param name="text">The value.</param>
    /// <param name="at">The time.</param>
    /// <returns>True when it parses.</returns>
    public static bool TryParseAdmittedAt(string? text, out DateTimeOffset at) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out at);

    /// <summary>Formats a time for <c>lepton.ai/admitted-at</c>.</summary>
    /// <param name="at">The time.</param>
    /// <returns>The round-trip UTC text.</returns>
    public static string FormatAdmittedAt(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether the pod holds a reservation nobody has used yet: ungated, reserved on a node, not bound, not
    /// finished and not being deleted. Such pods are what the ledger counts as taken room.
    /// </summary>
    /// <param name="pod">The pod.</param>
    /// <returns>True for a reserved-but-unbound member.</returns>
    public static bool IsReservedUnbound(V1Pod pod) =>
        pod is not null
        && ReservedNode(pod) is not null
        && !IsGated(pod)
        && string.IsNullOrEmpty(pod.Spec?.NodeName)
        && JobPods.IsActive(pod);

    /// <summary>The indexer behind <see cref="ReservedUnboundIndex"/>.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>The index values.</returns>
    public static IEnumerable<string> ByReservedUnbound(V1Pod pod) => IsReservedUnbound(pod) ? [ReservedUnboundValue] : [];
}
