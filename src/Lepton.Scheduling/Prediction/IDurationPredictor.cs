using Lepton.Scheduling.Inventory;

namespace Lepton.Scheduling.Prediction;

/// <summary>
/// Predicts how long a job will run once started, from what is known at its submission: the pod's own fields, the
/// submission time, and the jobs finished before it (<see cref="JobHistory"/>). The timeline simulator and the operator
/// call the same implementations, so what is measured offline is what orders the queue in the cluster.
/// </summary>
public interface IDurationPredictor
{
    /// <summary>A short name with the version, for results and <c>status.predictedDuration</c>.</summary>
    string Version { get; }

    /// <summary>Predicts the run duration of <paramref name="pod"/>.</summary>
    /// <param name="pod">The job's pod (a LeptonJob's replica template, or a trace pod).</param>
    /// <param name="submittedAt">When it was submitted.</param>
    /// <param name="history">The jobs finished before <paramref name="submittedAt"/>.</param>
    /// <param name="prediction">The prediction, when there is one.</param>
    /// <returns>False when this predictor cannot predict (a broken model, a missing input): callers fall back to FIFO order.</returns>
    bool TryPredict(PodDemand pod, DateTimeOffset submittedAt, JobHistory history, out DurationPrediction prediction);
}
