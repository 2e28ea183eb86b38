using Lepton.Scheduling.Inventory;

namespace Lepton.Scheduling.Prediction;

/// <summary>
/// A job (or pod) that has finished, as a duration predictor may learn from it: what it asked for, when it was submitted,
/// and how long it ran. Only jobs finished before a prediction's submission time may inform that prediction.
/// </summary>
/// <param name="Pod">What the job asked for (its request shape, priority, QoS, model constraint).</param>
/// <param name="SubmittedAt">When it was submitted (the simulated clock in the timeline, the API server's in the operator).</param>
/// <param name="FinishedAt">When it finished.</param>
/// <param name="RunSeconds">How long it ran once started (the quantity predictors predict; queueing excluded).</param>
public sealed record FinishedJob(PodDemand Pod, DateTimeOffset SubmittedAt, DateTimeOffset FinishedAt, double RunSeconds);
