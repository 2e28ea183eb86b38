namespace Lepton.Simulator.Running;

/// <summary>Progress of a simulation: runs finished out of all runs.</summary>
/// <param name="Completed">Runs finished.</param>
/// <param name="Total">All runs.</param>
/// <param name="Last">The run that just finished.</param>
public readonly record struct RunProgress(int Completed, int Total, RunResult Last);
