using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lepton.Operator.Events;

/// <summary>
/// Makes the operator's <see cref="EventRecorder"/>s, one per reporting controller, all reporting this replica's
/// identity and sharing the <c>Lepton:Events</c> options (dedup window, per-object rate limit).
/// </summary>
/// <param name="client">The API client.</param>
/// <param name="time">The clock.</param>
/// <param name="options">The event options.</param>
/// <param name="leaderElector">Gives this replica's identity (the events' <c>reportingInstance</c>).</param>
/// <param name="loggerFactory">The loggers.</param>
public sealed class EventRecorderFactory(IKubernetes client, TimeProvider time, IOptions<EventRecorderOptions> options, LeaderElection.ILeaderElector leaderElector, ILoggerFactory loggerFactory)
{
    /// <summary>Creates a recorder for one reporting controller.</summary>
    /// <param name="reportingController">The controller name (e.g. <c>lepton.ai/leptonjob-controller</c>).</param>
    /// <returns>The recorder.</returns>
    public EventRecorder Create(string reportingController)
    {
        ArgumentException.ThrowIfNullOrEmpty(reportingController);
        var logger = loggerFactory.CreateLogger<EventRecorder>();
        return new EventRecorder(new KubeEventWriter(client, time, reportingController, leaderElector.Identity, logger), time, options.Value, logger);
    }
}
