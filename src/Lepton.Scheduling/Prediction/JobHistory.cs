namespace Lepton.Scheduling.Prediction;

/// <summary>
/// The jobs finished so far, in the order they finished, bounded in size: the one source of history features for
/// duration predictors in both worlds (the timeline simulator adds a pod when it leaves on the simulated clock; the
/// operator adds a LeptonJob when it reaches a final phase). Because jobs are added as they finish, a prediction made
/// at time <c>t</c> sees only jobs finished before <c>t</c>. Not thread-safe: one owner adds and reads.
/// </summary>
public sealed class JobHistory
{
    private readonly int _perShape;
    private readonly Dictionary<string, Queue<FinishedJob>> _byShape = new(StringComparer.Ordinal);
    private readonly Queue<FinishedJob> _recent;
    private readonly int _recentCapacity;

    /// <summary>Creates an empty history.</summary>
    /// <param name="perShape">How many finished jobs are kept per request shape.</param>
    /// <param name="recent">How many finished jobs are kept over all shapes.</param>
    public JobHistory(int perShape = 64, int recent = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perShape, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(recent, 1);
        _perShape = perShape;
        _recentCapacity = recent;
        _recent = new Queue<FinishedJob>(Math.Min(recent, 1024));
    }

    /// <summary>How many jobs have been added in all.</summary>
    public long Count { get; private set; }

    /// <summary>When the last added job finished, or null when none has.</summary>
    public DateTimeOffset? LastFinishedAt { get; private set; }

    /// <summary>Records a finished job. Jobs must be added in the order they finished.</summary>
    /// <param name="job">The job.</param>
    /// <exception cref="ArgumentException">The job finished before the last one added.</exception>
    public void Add(FinishedJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (LastFinishedAt is { } last && job.FinishedAt < last)
        {
            throw new ArgumentException($"job {job.Pod.Key} finished at {job.FinishedAt:O}, before the last one added ({last:O}): add jobs in the order they finish", nameof(job));
        }

        var shape = JobShape.Of(job.Pod);
        if (!_byShape.TryGetValue(shape, out var queue))
        {
            queue = new Queue<FinishedJob>();
            _byShape[shape] = queue;
        }

        Enqueue(queue, job, _perShape);
        Enqueue(_recent, job, _recentCapacity);
        LastFinishedAt = job.FinishedAt;
        Count++;
    }

    /// <summary>The most recently finished jobs of exactly <paramref name="shape"/>, oldest first (at most the per-shape bound).</summary>
    /// <param name="shape">A key from <see cref="JobShape.Of"/>.</param>
    /// <returns>The jobs, possibly none.</returns>
    public IReadOnlyCollection<FinishedJob> OfShape(string shape) =>
        _byShape.TryGetValue(shape, out var queue) ? queue : [];

    /// <summary>The most recently finished jobs of every shape, oldest first (at most the overall bound).</summary>
    public IReadOnlyCollection<FinishedJob> Recent => _recent;

    private static void Enqueue(Queue<FinishedJob> queue, FinishedJob job, int capacity)
    {
        if (queue.Count == capacity)
        {
            queue.Dequeue();
        }

        queue.Enqueue(job);
    }
}
