namespace Lepton.Benchmarks.Cycle;

/// <summary>A pod that passed its cycle, to bind to its host.</summary>
/// <param name="Id">The pod's number (<see cref="CycleClient.PodUid"/>, <see cref="CycleClient.PodName"/>).</param>
/// <param name="Node">The host.</param>
public readonly record struct BindRequest(long Id, string Node);
