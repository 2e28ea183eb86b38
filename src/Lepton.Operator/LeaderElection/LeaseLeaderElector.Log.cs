using Microsoft.Extensions.Logging;

namespace Lepton.Operator.LeaderElection;

/// <content>Log messages of <see cref="LeaseLeaderElector"/>.</content>
public sealed partial class LeaseLeaderElector
{
    [LoggerMessage(3001, LogLevel.Information, "{Identity} is a candidate for lease {Lease}")]
    private static partial void LogCandidate(ILogger logger, string identity, string lease);

    [LoggerMessage(3002, LogLevel.Information, "{Identity} acquired lease {Lease} (transitions {Transitions}) and leads")]
    private static partial void LogAcquired(ILogger logger, string identity, string lease, int transitions);

    [LoggerMessage(3003, LogLevel.Warning, "{Identity} lost leadership of lease {Lease}")]
    private static partial void LogLost(ILogger logger, string identity, string lease);

    [LoggerMessage(3004, LogLevel.Warning, "{Identity} could not renew lease {Lease} within {RenewDeadline}")]
    private static partial void LogRenewFailed(ILogger logger, string identity, string lease, TimeSpan renewDeadline);

    [LoggerMessage(3005, LogLevel.Warning, "{Identity} sees lease {Lease} held by {Holder}")]
    private static partial void LogTakenOver(ILogger logger, string identity, string lease, string holder);

    [LoggerMessage(3006, LogLevel.Debug, "{Identity} lost a race on lease {Lease} (409 Conflict)")]
    private static partial void LogLostRace(ILogger logger, string identity, string lease);

    [LoggerMessage(3007, LogLevel.Warning, "{Identity} failed to acquire or renew lease {Lease}")]
    private static partial void LogAttemptFailed(ILogger logger, string identity, string lease, Exception exception);

    [LoggerMessage(3008, LogLevel.Information, "{Identity} released lease {Lease}")]
    private static partial void LogReleased(ILogger logger, string identity, string lease);

    [LoggerMessage(3009, LogLevel.Warning, "{Identity} failed to release lease {Lease}; it expires on its own")]
    private static partial void LogReleaseFailed(ILogger logger, string identity, string lease, Exception exception);
}
