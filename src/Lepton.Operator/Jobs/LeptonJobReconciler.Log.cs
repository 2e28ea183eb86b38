using Lepton.Operator.Controllers;
using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Jobs;

/// <content>Log messages of <see cref="LeptonJobReconciler"/>.</content>
public sealed partial class LeptonJobReconciler
{
    [LoggerMessage(2901, LogLevel.Debug, "Job {Job}: created pod {Pod} (replica {Index}, attempt {Attempt})")]
    private static partial void LogCreated(ILogger logger, NamespacedName job, string pod, int index, int attempt);

    [LoggerMessage(2902, LogLevel.Warning, "Job {Job} has an invalid spec: {Message}")]
    private static partial void LogInvalid(ILogger logger, NamespacedName job, string message);

    [LoggerMessage(2903, LogLevel.Information, "Job {Job} failed: {Message}")]
    private static partial void LogFailed(ILogger logger, NamespacedName job, string message);

    [LoggerMessage(2904, LogLevel.Information, "Job {Job} deleted: {Pods} pods deleted, finalizer removed")]
    private static partial void LogFinalized(ILogger logger, NamespacedName job, int pods);
}
