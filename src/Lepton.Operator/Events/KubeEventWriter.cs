using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Events;

/// <summary>
/// Writes one <c>events.k8s.io/v1</c> Event, best effort: the one implementation behind every
/// recorder of the operator (gang preemption, the rebalancer). A failure is logged and answered
/// false, never thrown, so that recording an event never stops the work it reports.
/// </summary>
/// <param name="client">The API client.</param>
/// <param name="timeProvider">The clock for event times.</param>
/// <param name="reportingController">The event's <c>reportingController</c> (e.g. <c>lepton.ai/rebalancer</c>).</param>
/// <param name="reportingInstance">This replica's identity (the event's <c>reportingInstance</c>).</param>
/// <param name="logger">The logger.</param>
public sealed partial class KubeEventWriter(IKubernetes client, TimeProvider timeProvider, string reportingController, string reportingInstance, ILogger logger)
{
    /// <summary>The longest note written; a longer one is cut with an ellipsis.</summary>
    public const int MaxNoteLength = 1024;

    /// <summary>Creates one event regarding an object.</summary>
    /// <param name="regarding">The object the event is about (namespaced).</param>
    /// <param name="related">A second object (the node, say), or null.</param>
    /// <param name="type"><c>Normal</c> or <c>Warning</c>.</param>
    /// <param name="reason">The reason (CamelCase).</param>
    /// <param name="action">What was done.</param>
    /// <param name="note">The human-readable note (truncated to <see cref="MaxNoteLength"/>).</param>
    /// <param name="cancellationToken">Stops the request.</param>
    /// <returns>True when the event was created.</returns>
    public async Task<bool> WriteAsync(V1ObjectReference regarding, V1ObjectReference? related, string type, string reason, string action, string note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(regarding);
        ArgumentNullException.ThrowIfNull(note);
        var body = new Eventsv1Event
        {
            ApiVersion = "events.k8s.io/v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta { GenerateName = regarding.Name + ".", NamespaceProperty = regarding.NamespaceProperty },
            EventTime = timeProvider.GetUtcNow().UtcDateTime,
            ReportingController = reportingController,
            ReportingInstance = reportingInstance,
            Type = type,
            Reason = reason,
            Action = action,
            Note = note.Length <= MaxNoteLength ? note : note[..(MaxNoteLength - 1)] + "…",
            Regarding = regarding,
            Related = related,
        };
        try
        {
            await client.EventsV1.CreateNamespacedEventAsync(body, regarding.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is k8s.Autorest.HttpOperationException or KubernetesException or HttpRequestException or IOException or OperationCanceledException)
        {
            LogEventFailed(logger, reason, regarding.Kind + " " + regarding.NamespaceProperty + "/" + regarding.Name, e);
            return false;
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Could not record event {Reason} on {Object}")]
    private static partial void LogEventFailed(ILogger logger, string reason, string @object, Exception exception);
}
