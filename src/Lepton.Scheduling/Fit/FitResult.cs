namespace Lepton.Scheduling.Fit;

/// <summary>
/// The outcome of fitting a pod to a node, with a readable reason: a short code first and the
/// numbers after (kube-scheduler groups identical strings in pod events), DECISIONS.md 7.
/// </summary>
/// <param name="Code">The reason code.</param>
/// <param name="Message">The message, for example <c>Insufficient GPU: needs 2 GPUs, 1 free of 8</c>.</param>
public readonly record struct FitResult(FitCode Code, string Message)
{
    /// <summary>The result for a pod that fits.</summary>
    public static FitResult Fit { get; } = new(FitCode.Fits, string.Empty);

    /// <summary>True when the pod fits.</summary>
    public bool Fits => Code == FitCode.Fits;

    /// <summary>
    /// True when preempting pods on the node cannot make room (the node is the wrong kind, not too
    /// full): kube-scheduler's <c>FailedAndUnresolvableNodes</c>.
    /// </summary>
    public bool IsUnresolvable => FitChecker.IsUnresolvable(Code);
}
