namespace Lepton.Benchmarks.Cycle;

/// <summary>One scheduling cycle's result.</summary>
/// <param name="Id">The pod's number (its UID and name carry it).</param>
/// <param name="Shape">The pod's shape (<see cref="Extender.SyntheticCluster.PodJson"/>).</param>
/// <param name="Survivors">How many nodes filter passed.</param>
/// <param name="Prioritized">Whether prioritize was called (more than one survivor).</param>
/// <param name="Host">The node kube-scheduler would pick (the best score, the first on a tie), or null when none passed.</param>
/// <param name="FilterTicks">Filter's share of the cycle (<see cref="System.Diagnostics.Stopwatch"/> ticks: the call and reading its answer).</param>
/// <param name="FilterAnswerBytes">The size of filter's answer.</param>
public readonly record struct CycleOutcome(long Id, int Shape, int Survivors, bool Prioritized, string? Host, long FilterTicks, int FilterAnswerBytes);
