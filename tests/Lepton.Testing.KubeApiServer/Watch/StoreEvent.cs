using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Resources;

namespace Lepton.Testing.KubeApiServer.Watch;

/// <summary>
/// One committed change, as kept in the event history. <see cref="Object"/> and <see cref="Previous"/> are
/// the store's own immutable instances: never mutate them.
/// </summary>
internal sealed record StoreEvent(
    WatchEventType Type,
    GroupResource Resource,
    string Namespace,
    long ResourceVersion,
    JsonObject Object,
    JsonObject? Previous);
