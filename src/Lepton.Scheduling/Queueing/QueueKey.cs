namespace Lepton.Scheduling.Queueing;

/// <summary>What a pending queue orders one waiting job by.</summary>
/// <param name="Priority">The job's scheduling priority (a PriorityClass value); higher goes first when the queue puts priority first.</param>
/// <param name="SubmittedAt">When the job was submitted (creation time).</param>
/// <param name="Order">
/// The order's key, smaller first: a predicted or true duration in seconds (shortest first), a least-attained-service
/// level, or 0 for creation order. <see cref="double.PositiveInfinity"/> means "unknown" (no prediction): such a job
/// goes after every job with a key and is promoted by the starvation guard after its bound alone.
/// </param>
/// <param name="Tiebreak">The caller's last tie-break (an arrival ordinal), smaller first.</param>
public readonly record struct QueueKey(int Priority, DateTimeOffset SubmittedAt, double Order = 0, long Tiebreak = 0);
