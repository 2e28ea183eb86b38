using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Json;

namespace Lepton.Testing.KubeApiServer.Controllers;

/// <summary>
/// Whether a pod counts as healthy for disruption budgets: Running, not deleting, and Ready unless its Ready
/// condition says otherwise (there is no kubelet here to set it, so a Running pod without one counts).
/// </summary>
internal static class PodHealth
{
    public static bool IsHealthy(JsonObject pod)
    {
        if (ObjectMeta.IsDeleting(pod))
        {
            return false;
        }

        var status = JsonNodes.GetObject(pod, "status");
        if (JsonNodes.GetString(status, "phase") != "Running")
        {
            return false;
        }

        var ready = JsonNodes.GetArray(status, "conditions")?.OfType<JsonObject>().FirstOrDefault(c => JsonNodes.GetString(c, "type") == "Ready");
        return ready is null || JsonNodes.GetString(ready, "status") == "True";
    }
}
