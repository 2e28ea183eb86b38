using System.Collections.Immutable;

namespace Lepton.Scheduling.Binding;

/// <summary>A placement to make real.</summary>
/// <param name="Namespace">The pod namespace.</param>
/// <param name="Name">The pod name.</param>
/// <param name="Uid">The pod UID (a precondition of the Binding).</param>
/// <param name="NodeName">The node.</param>
/// <param name="Cards">The GPU card indices Lepton assigned (for <c>lepton.ai/gpu-cards</c>); empty without GPUs.</param>
public sealed record PodBindingRequest(string Namespace, string Name, string Uid, string NodeName, ImmutableArray<int> Cards);
