namespace Lepton.Operator.LeaderElection;

/// <summary>A Lease as read from the API server: its record and the resourceVersion an update must carry.</summary>
/// <param name="Record">The leader-election record.</param>
/// <param name="ResourceVersion">The Lease's resourceVersion.</param>
public sealed record LeaseSnapshot(LeaseRecord Record, string ResourceVersion);
