using Lepton.Scheduling.Fragmentation;

namespace Lepton.Scheduling.Scoring;

/// <summary>
/// What scorers may consult beyond the pod and the nodes: the fragmentation model (typical-task
/// mix), the cluster's scale and a random source. One context serves one scheduling cycle or one
/// simulated run on one thread (the random source is not thread-safe).
/// </summary>
/// <param name="Fragmentation">The fragmentation measure.</param>
/// <param name="Scale">The cluster's normalisers.</param>
/// <param name="Random">The random source (seeded for reproducible runs).</param>
public sealed record ScoringContext(FragmentationModel Fragmentation, ClusterScale Scale, System.Random Random);
