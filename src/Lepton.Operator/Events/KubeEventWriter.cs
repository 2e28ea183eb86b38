using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Events;

/// <summary>
/// Writes one <c>events.k8s.io/v1</c> Event, best effort: the one implementation behind every
/// recorder of the operator (<see cref="EventRecorder"/>: job lifecycle, gang admission and preemption, the rebalancer). A failure is logged and answered
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
    public async Task<bool> WriteAsync(V1ObjectReference regarding, V1ObjectReference? related, string type, string reason, string action, string note, CancellationToken cancellationToken) =>
        await CreateAsync(regarding, related, type, reason, action, note, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>Creates one event regarding an object and answers its name (for later series updates).</summary>
    /// <param name="regarding">The object the event is about (namespaced).</param>
    /// <param name="related">A second object (the node, say), or null.</param>
    /// <param name="type"><c>Normal</c> or <c>Warning</c>.</param>
    /// <param name="reason">The reason (CamelCase).</param>
    /// <param name="action">What was done.</param>
    /// <param name="note">The human-readable note (truncated to <see cref="MaxNoteLength"/>).</param>
    /// <param name="cancellationToken">Stops the request.</param>
    /// <returns>The created event's name, or null when it could not be created (logged).</returns>
    public async Task<string?> CreateAsync(V1ObjectReference regarding, V1ObjectReference? related, string type, string reason, string action, string note, CancellationToken cancellationToken)
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
            Note = Truncate(note),
            Regarding = regarding,
            Related = related,
        };
        try
        {
            var created = await client.EventsV1.CreateNamespacedEventAsync(body, regarding.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
            return created?.Metadata?.Name ?? string.Empty;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (IsApiFailure(e))
        {
            LogEventFailed(logger, reason, regarding.Kind + " " + regarding.NamespaceProperty + "/" + regarding.Name, e);
            return null;
        }
    }

    /// <summary>
    /// Records that an event happened again: a merge patch of its <c>series</c> (count and last observed time), as
    /// client-go's <c>tools/events</c> recorder does for an isomorphic event.
    /// </summary>
    /// <param name="namespace">The event's namespace.</param>
    /// <param name="name">The event's name (from <see cref="CreateAsync"/>).</param>
    /// <param name="reason">The event's reason (for the failure log).</param>
    /// <param name="count">How many times it happened in all (at least 2).</param>
    /// <param name="lastObserved">When it last happened.</param>
    /// <param name="cancellationToken">Stops the request.</param>
    /// <returns>True when the event was updated.</returns>
    public async Task<bool> UpdateSeriesAsync(string @namespace, string name, string reason, int count, DateTimeOffset lastObserved, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var patch = new System.Text.Json.Nodes.JsonObject
        {
            ["series"] = new System.Text.Json.Nodes.JsonObject
            {
                ["count"] = count,
                ["lastObservedTime"] = lastObserved.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            },
        };
        try
        {
            await client.EventsV1.PatchNamespacedEventAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), name, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (IsApiFailure(e))
        {
            LogEventFailed(logger, reason, "Event " + @namespace + "/" + name, e);
            return false;
        }
    }

    private static string Truncate(string note) => note.Length <= MaxNoteLength ? note : note[..(MaxNoteLength - 1)] + "…";

    private static bool IsApiFailure(Exception e) =>
        e is k8s.Autorest.HttpOperationException or KubernetesException or HttpRequestException or IOException or OperationCanceledException;

    [LoggerMessage(2601, LogLevel.Warning, "Could not record event {Reason} on {Object}")]
    private static partial void LogEventFailed(ILogger logger, string reason, string @object, Exception exception);
}
