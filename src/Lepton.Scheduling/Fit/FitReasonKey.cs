namespace Lepton.Scheduling.Fit;

/// <summary>
/// What a failure's readable reason (<see cref="FitChecker.Describe(FitCode, Inventory.PodDemand, State.NodeState, FitReasonDetail)"/>) depends on beyond the pod:
/// for one pod, two failures with equal keys have the same reason text, so an answer naming
/// thousands of failed nodes formats each distinct reason once (<see cref="FitChecker.TryGetReasonKey(FitCode, Inventory.PodDemand, State.NodeState, FitReasonDetail, out FitReasonKey)"/>).
/// </summary>
/// <param name="Code">The failure.</param>
/// <param name="First">The first node figure the reason shows (0 when none).</param>
/// <param name="Second">The second node figure the reason shows (0 when none).</param>
/// <param name="Text">The node text the reason shows (a GPU resource, model or sharing evidence), or null.</param>
public readonly record struct FitReasonKey(FitCode Code, long First, long Second, string? Text);
