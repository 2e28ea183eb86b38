namespace Lepton.Simulator.Running;

/// <summary>A policy's unallocated GPU % at one arrived level over the seeds.</summary>
/// <param name="Level">Arrived workload, percent of GPU capacity.</param>
/// <param name="PerSeed">One value per seed, in seed order (null where a run never reached the level).</param>
/// <param name="Mean">The mean over seeds that reached the level, or null.</param>
/// <param name="StandardDeviation">The sample standard deviation (n − 1), or null with fewer than two values.</param>
public sealed record LevelSummary(int Level, IReadOnlyList<double?> PerSeed, double? Mean, double? StandardDeviation);
