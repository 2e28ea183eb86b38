using Lepton.Operator.Controllers;
using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Gangs;

/// <content>Log messages of <see cref="GangAdmissionReconciler"/>.</content>
public sealed partial class GangAdmissionReconciler
{
    [LoggerMessage(2701, LogLevel.Information, "Gang {Job}: {Count} members admitted, reserved on {Nodes}")]
    private static partial void LogAdmitted(ILogger logger, NamespacedName job, int count, string nodes);

    [LoggerMessage(2702, LogLevel.Information, "Gang {Job} waits for room: {Message}")]
    private static partial void LogWaiting(ILogger logger, NamespacedName job, string message);

    [LoggerMessage(2703, LogLevel.Warning, "Gang {Job} timed out: {Message}")]
    private static partial void LogTimedOut(ILogger logger, NamespacedName job, string message);

    [LoggerMessage(2705, LogLevel.Information, "Gang {Job}: the room reserved for {Pod} on {From} was taken; reserved on {To} instead")]
    private static partial void LogRepaired(ILogger logger, NamespacedName job, string pod, string from, string to);

    [LoggerMessage(2704, LogLevel.Information, "Gang {Job}: lifted the gates of {Count} members of an interrupted admission")]
    private static partial void LogContinued(ILogger logger, NamespacedName job, int count);

    [LoggerMessage(2706, LogLevel.Information, "Gang {Job}: {Message}")]
    private static partial void LogPreempting(ILogger logger, NamespacedName job, string message);

    [LoggerMessage(2707, LogLevel.Information, "Gang {Job} cannot preempt: {Message}")]
    private static partial void LogPreemptionBlocked(ILogger logger, NamespacedName job, string message);
}
