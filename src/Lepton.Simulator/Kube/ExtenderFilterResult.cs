namespace Lepton.Simulator.Kube;

/// <summary>The filter verb's answer (<c>extenderv1.ExtenderFilterResult</c>, names only).</summary>
/// <param name="NodeNames">Nodes that pass.</param>
/// <param name="FailedNodes">Why each failed node failed, when the backend explains it; may be null.</param>
/// <param name="Error">A whole-request error (kube-scheduler then fails the pod's cycle), or null.</param>
public sealed record ExtenderFilterResult(IReadOnlyList<string> NodeNames, IReadOnlyDictionary<string, string>? FailedNodes = null, string? Error = null);
