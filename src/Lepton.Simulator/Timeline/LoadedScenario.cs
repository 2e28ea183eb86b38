using Lepton.Simulator.Workloads;

namespace Lepton.Simulator.Timeline;

/// <summary>One seed's loaded timeline (DECISIONS 23): the sampled cluster and the compressed arrivals.</summary>
/// <param name="Workload">The sampled nodes and the pods that can run on them, creation times compressed, lifetimes unchanged.</param>
/// <param name="Seed">The seed that drew the sample.</param>
/// <param name="Gpus">GPUs in the sampled cluster.</param>
/// <param name="Load">The effective offered load reached over the compressed window before creation times are rounded to whole seconds (the one asked for).</param>
/// <param name="WindowSeconds">W: the compressed arrival window (last − first creation), seconds.</param>
/// <param name="Compression">How many times faster pods arrive than in the trace.</param>
/// <param name="ExcludedPods">Pods of the list that fit no sampled node even when it is empty (a GPU model or a size the sample lacks): left out.</param>
public sealed record LoadedScenario(Workload Workload, int Seed, int Gpus, double Load, double WindowSeconds, double Compression, int ExcludedPods);
