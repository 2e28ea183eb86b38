using System.Globalization;
using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Json;
using Lepton.Testing.KubeApiServer.Selectors;
using Lepton.Testing.KubeApiServer.Storage;
using Lepton.Testing.KubeApiServer.Watch;

namespace Lepton.Testing.KubeApiServer.Controllers;

/// <summary>
/// A small disruption controller: recomputes PodDisruptionBudget status (expected, healthy and desired
/// pods, disruptionsAllowed, observedGeneration, the DisruptionAllowed condition) from the matching pods.
/// Expected pods are the pods the selector matches (no scale lookups of owning controllers).
/// </summary>
internal sealed class DisruptionBudgetController(ObjectStore store, bool automatic) : IStoreController
{
    /// <summary>How long an evicted pod is not counted as healthy while its deletion is unconfirmed.</summary>
    public static readonly TimeSpan DisruptedPodTimeout = TimeSpan.FromMinutes(2);

    public void OnCommitted(StoreEvent change)
    {
        if (automatic && (change.Resource == WellKnown.Pods || change.Resource == WellKnown.PodDisruptionBudgets))
        {
            RecomputeCore(change.Namespace);
        }
    }

    /// <summary>Recomputes every budget of one namespace, or of all when <paramref name="ns"/> is empty. Lock held.</summary>
    public void RecomputeCore(string? ns)
    {
        foreach (var pdb in store.ItemsCore(WellKnown.PodDisruptionBudgets, ns))
        {
            if (ObjectMeta.IsDeleting(pdb))
            {
                continue;
            }

            var pods = store.ItemsCore(WellKnown.Pods, ObjectMeta.Namespace(pdb)).ToArray();
            store.MutateCore(WellKnown.PodDisruptionBudgets, pdb, o => o["status"] = ComputeStatus(o, pods, store.Now));
        }
    }

    /// <summary>The status the disruption controller would write for <paramref name="pdb"/>.</summary>
    public static JsonObject ComputeStatus(JsonObject pdb, IReadOnlyCollection<JsonObject> namespacePods, DateTimeOffset now)
    {
        var spec = JsonNodes.GetObject(pdb, "spec");
        var selector = LabelSelector.FromObject(JsonNodes.GetObject(spec, "selector"));
        var pods = namespacePods.Where(p => selector.Matches(ObjectMeta.Labels(p))).ToArray();
        var oldStatus = JsonNodes.GetObject(pdb, "status");

        var disrupted = new JsonObject();
        foreach (var (podName, when) in JsonNodes.GetObject(oldStatus, "disruptedPods") ?? [])
        {
            var pod = pods.FirstOrDefault(p => ObjectMeta.Name(p) == podName);
            if (pod is not null && !ObjectMeta.IsDeleting(pod)
                && KubeTime.TryParse(JsonNodes.ScalarText(when), out var since) && since + DisruptedPodTimeout > now)
            {
                disrupted[podName] = when?.DeepClone();
            }
        }

        var expected = pods.Length;
        var healthy = pods.Count(p => PodHealth.IsHealthy(p) && !disrupted.ContainsKey(ObjectMeta.Name(p)));
        var desired = DesiredHealthy(spec, expected);
        var allowed = Math.Max(0, healthy - desired);

        var status = new JsonObject { ["observedGeneration"] = ObjectMeta.Generation(pdb) };
        if (disrupted.Count > 0)
        {
            status["disruptedPods"] = disrupted;
        }

        status["disruptionsAllowed"] = allowed;
        status["currentHealthy"] = healthy;
        status["desiredHealthy"] = desired;
        status["expectedPods"] = expected;
        status["conditions"] = new JsonArray(DisruptionAllowedCondition(oldStatus, allowed > 0, ObjectMeta.Generation(pdb), now));
        return status;
    }

    public static JsonObject DisruptionAllowedCondition(JsonObject? oldStatus, bool allowed, long generation, DateTimeOffset now)
    {
        var value = allowed ? "True" : "False";
        var old = JsonNodes.GetArray(oldStatus, "conditions")?.OfType<JsonObject>().FirstOrDefault(c => JsonNodes.GetString(c, "type") == "DisruptionAllowed");
        var since = old is not null && JsonNodes.GetString(old, "status") == value
            ? JsonNodes.GetString(old, "lastTransitionTime") ?? KubeTime.Format(now)
            : KubeTime.Format(now);
        return new JsonObject
        {
            ["type"] = "DisruptionAllowed",
            ["status"] = value,
            ["observedGeneration"] = generation,
            ["lastTransitionTime"] = since,
            ["reason"] = allowed ? "SufficientPods" : "InsufficientPods",
            ["message"] = "",
        };
    }

    private static int DesiredHealthy(JsonObject? spec, int expected)
    {
        if (spec?["minAvailable"] is JsonValue minAvailable)
        {
            return Scaled(minAvailable, expected);
        }

        if (spec?["maxUnavailable"] is JsonValue maxUnavailable)
        {
            return Math.Max(0, expected - Scaled(maxUnavailable, expected));
        }

        // Neither set: no disruption is allowed.
        return expected;
    }

    /// <summary>An IntOrString: an integer, or a percentage of <paramref name="total"/> rounded up.</summary>
    private static int Scaled(JsonValue value, int total)
    {
        var text = JsonNodes.ScalarText(value) ?? "0";
        if (text.EndsWith('%') && int.TryParse(text[..^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var percent))
        {
            return (int)Math.Ceiling(total * percent / 100.0);
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) ? count : 0;
    }
}
