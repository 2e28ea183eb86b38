using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Json;
using Lepton.Testing.KubeApiServer.Resources;
using Lepton.Testing.KubeApiServer.Storage;
using Lepton.Testing.KubeApiServer.Watch;

namespace Lepton.Testing.KubeApiServer.Controllers;

/// <summary>
/// The real server keeps one storage for Events and serves it in both <c>events.k8s.io/v1</c> and core
/// <c>v1</c>: an event a controller writes through the new API shows in <c>kubectl describe</c>, which lists core
/// events by <c>involvedObject.*</c>. This double stores the two groups apart, so this controller copies every
/// create, update and delete of one into the other, converted field by field as kube-apiserver's
/// <c>events/v1</c> conversion does (<c>regarding</c>/<c>involvedObject</c>, <c>note</c>/<c>message</c>,
/// <c>reportingController</c>/<c>reportingComponent</c>, the <c>deprecated*</c> fields/<c>source</c>,
/// <c>firstTimestamp</c>, <c>lastTimestamp</c>, <c>count</c>). The copy keeps name and UID; its resourceVersion is
/// its own.
/// </summary>
internal sealed class EventMirror(ObjectStore store) : IStoreController
{
    private static readonly GroupResource Core = new("", "events");
    private static readonly GroupResource EventsV1 = new("events.k8s.io", "events");

    // Renamed fields: (events.k8s.io/v1, core/v1). Everything else (eventTime, series, action, reason, type,
    // related, reportingInstance, metadata) has the same name in both.
    private static readonly (string V1, string Core)[] Renamed =
    [
        ("regarding", "involvedObject"),
        ("note", "message"),
        ("reportingController", "reportingComponent"),
        ("deprecatedSource", "source"),
        ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"),
        ("deprecatedCount", "count"),
    ];

    private readonly HashSet<long> _own = [];

    public void OnCommitted(StoreEvent change)
    {
        if (_own.Remove(change.ResourceVersion))
        {
            return;
        }

        GroupResource target;
        bool toCore;
        if (change.Resource == EventsV1)
        {
            (target, toCore) = (Core, true);
        }
        else if (change.Resource == Core)
        {
            (target, toCore) = (EventsV1, false);
        }
        else
        {
            return;
        }

        var ns = ObjectMeta.Namespace(change.Object);
        var name = ObjectMeta.Name(change.Object);
        var existing = store.FindCore(target, ns, name);
        if (change.Type == WatchEventType.Deleted)
        {
            if (existing is not null)
            {
                _own.Add(ObjectMetaVersionAfterCommit(store.CommitRemoveCore(target, existing, existing)));
            }

            return;
        }

        var copy = Convert(change.Object, toCore);
        _own.Add(ObjectMetaVersionAfterCommit(store.CommitPutCore(target, copy, existing)));
    }

    /// <summary>Converts an Event between the two groups.</summary>
    internal static JsonObject Convert(JsonObject source, bool toCore)
    {
        var copy = JsonNodes.Clone(source);
        copy["apiVersion"] = toCore ? "v1" : "events.k8s.io/v1";
        copy["kind"] = "Event";
        foreach (var (v1, core) in Renamed)
        {
            var (from, to) = toCore ? (v1, core) : (core, v1);
            if (copy[from] is { } value)
            {
                copy.Remove(from);
                copy[to] = value;
            }
        }

        ObjectMeta.Of(copy).Remove("resourceVersion");
        return copy;
    }

    private static long ObjectMetaVersionAfterCommit(JsonObject committed) =>
        long.Parse(ObjectMeta.ResourceVersion(committed) ?? "0", System.Globalization.CultureInfo.InvariantCulture);
}
