namespace Lepton.Scheduling.Readiness;

/// <summary>The process-wide readiness flag; starts not ready.</summary>
public sealed class ClusterStateReadiness : IClusterStateReadiness
{
    private volatile string _reason = "cluster state not loaded yet";

    /// <inheritdoc />
    public bool IsReady => _reason.Length == 0;

    /// <inheritdoc />
    public string Reason => _reason;

    /// <inheritdoc />
    public void MarkReady() => _reason = string.Empty;

    /// <inheritdoc />
    public void MarkNotReady(string reason) =>
        _reason = string.IsNullOrWhiteSpace(reason) ? "not ready" : reason;
}
