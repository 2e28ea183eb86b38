namespace Lepton.Simulator.Kube;

/// <summary>One node's extender score (<c>extenderv1.HostPriority</c>).</summary>
/// <param name="Host">The node name.</param>
/// <param name="Score">The score, 0..10.</param>
public readonly record struct HostPriority(string Host, long Score);
