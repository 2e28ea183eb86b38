using Lepton.Operator.Controllers;
using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Prediction;

/// <content>Log messages of <see cref="JobPredictionService"/>.</content>
public sealed partial class JobPredictionService
{
    [LoggerMessage(2951, LogLevel.Warning, "Job {Job}: the duration predictor {Predictor} failed; the job gets no prediction")]
    private static partial void LogPredictorFailed(ILogger logger, NamespacedName job, string predictor, Exception exception);
}
