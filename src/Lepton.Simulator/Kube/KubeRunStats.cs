namespace Lepton.Simulator.Kube;

/// <summary>Kube-mode counters of one run.</summary>
/// <param name="Configuration">The scheduler configuration and mapping, described.</param>
/// <param name="NoInTreeFit">Cycles where no node fit kube-scheduler's own filters.</param>
/// <param name="ExtenderRejectedAll">Cycles where nodes fit kube-scheduler's filters but none passed Lepton's filter (with adaptive node sampling, a pod can fail although some node outside the sample fits).</param>
/// <param name="ScoredCycles">Cycles that went through scoring (more than one node left).</param>
/// <param name="BindFailures">Binds the extender refused.</param>
public sealed record KubeRunStats(string Configuration, int NoInTreeFit, int ExtenderRejectedAll, int ScoredCycles, int BindFailures);
