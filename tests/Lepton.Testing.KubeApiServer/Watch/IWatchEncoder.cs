using System.Text.Json.Nodes;

namespace Lepton.Testing.KubeApiServer.Watch;

/// <summary>Turns events into the bytes of one line of a watch stream (JSON objects or Table rows).</summary>
internal interface IWatchEncoder
{
    byte[] Encode(WatchEventType type, JsonObject obj);

    byte[] EncodeBookmark(long resourceVersion, bool initialEventsEnd);
}
