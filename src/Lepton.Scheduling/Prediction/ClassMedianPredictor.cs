using Lepton.Scheduling.Inventory;

namespace Lepton.Scheduling.Prediction;

/// <summary>
/// The baseline that needs no model: the median run time of the finished jobs of the same request shape
/// (<see cref="JobShape"/>), or of all recently finished jobs when none of that shape has finished. Predicts nothing
/// (FIFO order) before any job has finished. Stateless and thread-safe: all it knows comes from the history passed in.
/// </summary>
public sealed class ClassMedianPredictor : IDurationPredictor
{
    /// <summary>The name written with every prediction.</summary>
    public const string Name = "class-median";

    /// <inheritdoc />
    public string Version => Name;

    /// <inheritdoc />
    public bool TryPredict(PodDemand pod, DateTimeOffset submittedAt, JobHistory history, out DurationPrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(history);
        var jobs = history.OfShape(JobShape.Of(pod));
        if (jobs.Count == 0)
        {
            jobs = history.Recent;
        }

        if (jobs.Count == 0)
        {
            prediction = default;
            return false;
        }

        prediction = new DurationPrediction(Math.Max(1, Median(jobs)), DurationSource.Predicted, Name);
        return true;
    }

    /// <summary>The median run time of <paramref name="jobs"/> (the mean of the two middle values for an even count).</summary>
    /// <param name="jobs">At least one job.</param>
    /// <returns>The median, seconds.</returns>
    internal static double Median(IReadOnlyCollection<FinishedJob> jobs)
    {
        var values = new double[jobs.Count];
        var i = 0;
        foreach (var j in jobs)
        {
            values[i++] = j.RunSeconds;
        }

        Array.Sort(values);
        var mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
