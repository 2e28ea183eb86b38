using Lepton.Operator.Jobs;

namespace Lepton.Operator.Prediction;

/// <summary>What <see cref="JobPredictionService.Predict"/> decided for a job, and the Event to record after the status write.</summary>
/// <param name="Decision">The status fields.</param>
/// <param name="Event">The <see cref="JobPredictionService.ReasonUnavailable"/> Event, or null when the predictor predicted.</param>
public sealed record JobPredictionAttempt(JobPrediction Decision, JobEvent? Event);
