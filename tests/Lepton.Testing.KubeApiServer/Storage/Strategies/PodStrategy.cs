using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Errors;
using Lepton.Testing.KubeApiServer.Json;

namespace Lepton.Testing.KubeApiServer.Storage.Strategies;

/// <summary>
/// Pods: spec defaults, status reset to Pending on create, the scheduling-gate rules and the pod-update
/// immutability rule of <c>ValidatePodUpdate</c>.
/// </summary>
internal sealed class PodStrategy(bool setSchedulingGatedCondition) : ResourceStrategy
{
    private const string ImmutableSpecMessage =
        "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
        + "`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

    public static IReadOnlyList<string> SchedulingGates(JsonObject pod) =>
        (JsonNodes.GetArray(JsonNodes.GetObject(pod, "spec"), "schedulingGates")?.OfType<JsonObject>() ?? [])
            .Select(g => JsonNodes.GetString(g, "name") ?? "")
            .ToArray();

    public override void ApplyDefaults(JsonObject obj)
    {
        var spec = JsonNodes.EnsureObject(obj, "spec");
        spec["schedulerName"] ??= "default-scheduler";
        spec["restartPolicy"] ??= "Always";
        spec["dnsPolicy"] ??= "ClusterFirst";
        spec["terminationGracePeriodSeconds"] ??= 30;
    }

    public override void PrepareForCreate(JsonObject obj, DateTimeOffset now)
    {
        var status = new JsonObject { ["phase"] = "Pending" };
        var nodeName = JsonNodes.GetString(JsonNodes.GetObject(obj, "spec"), "nodeName");
        if (setSchedulingGatedCondition && SchedulingGates(obj).Count > 0 && string.IsNullOrEmpty(nodeName))
        {
            status["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "PodScheduled",
                ["status"] = "False",
                ["lastTransitionTime"] = KubeTime.Format(now),
                ["reason"] = "SchedulingGated",
                ["message"] = "Scheduling is blocked due to non-empty scheduling gates",
            });
        }

        obj["status"] = status;
    }

    public override IEnumerable<FieldError> ValidateCreate(JsonObject obj)
    {
        var spec = JsonNodes.GetObject(obj, "spec");
        var containers = JsonNodes.GetArray(spec, "containers");
        if (containers is null || containers.Count == 0)
        {
            yield return FieldError.Required("spec.containers", "");
        }
        else
        {
            for (var i = 0; i < containers.Count; i++)
            {
                var container = containers[i] as JsonObject;
                if (string.IsNullOrEmpty(JsonNodes.GetString(container, "name")))
                {
                    yield return FieldError.Required($"spec.containers[{i}].name", "");
                }

                if (string.IsNullOrEmpty(JsonNodes.GetString(container, "image")))
                {
                    yield return FieldError.Required($"spec.containers[{i}].image", "");
                }
            }
        }

        var gates = SchedulingGates(obj);
        for (var i = 0; i < gates.Count; i++)
        {
            if (!MetadataValidation.IsQualifiedName(gates[i]))
            {
                yield return FieldError.Invalid($"spec.schedulingGates[{i}].name", gates[i], "name part must consist of alphanumeric characters, '-', '_' or '.'");
            }
            else if (gates.Take(i).Contains(gates[i]))
            {
                yield return new FieldError($"spec.schedulingGates[{i}].name", FieldErrorType.Invalid, "Duplicate value", gates[i]);
            }
        }

        if (gates.Count > 0 && !string.IsNullOrEmpty(JsonNodes.GetString(spec, "nodeName")))
        {
            yield return FieldError.Forbidden("spec.nodeName", "cannot be set until all schedulingGates have been cleared");
        }
    }

    public override IEnumerable<FieldError> ValidateUpdate(JsonObject oldObj, JsonObject newObj)
    {
        var oldGates = SchedulingGates(oldObj);
        foreach (var gate in SchedulingGates(newObj))
        {
            if (!oldGates.Contains(gate))
            {
                yield return FieldError.Forbidden("spec.schedulingGates", $"only deletion is allowed, but found new scheduling gate '{gate}'");
            }
        }

        var oldSpec = JsonNodes.GetObject(oldObj, "spec") ?? new JsonObject();
        var newSpec = JsonNodes.GetObject(newObj, "spec") ?? new JsonObject();
        if (!JsonNode.DeepEquals(WithMutableFieldsFrom(oldSpec, newSpec, gated: oldGates.Count > 0), newSpec))
        {
            yield return FieldError.Forbidden("spec", ImmutableSpecMessage);
        }
    }

    /// <summary>The old spec with every field an update may change taken from the new spec.</summary>
    private static JsonObject WithMutableFieldsFrom(JsonObject oldSpec, JsonObject newSpec, bool gated)
    {
        var merged = (JsonObject)oldSpec.DeepClone();
        string[] mutable = gated
            ? ["schedulingGates", "activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds", "nodeSelector", "affinity"]
            : ["schedulingGates", "activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds"];
        foreach (var field in mutable)
        {
            if (newSpec.TryGetPropertyValue(field, out var value))
            {
                merged[field] = value?.DeepClone();
            }
            else
            {
                merged.Remove(field);
            }
        }

        CopyImages(merged, newSpec, "containers");
        CopyImages(merged, newSpec, "initContainers");
        return merged;
    }

    private static void CopyImages(JsonObject target, JsonObject source, string list)
    {
        if (target[list] is JsonArray targetList && source[list] is JsonArray sourceList && targetList.Count == sourceList.Count)
        {
            for (var i = 0; i < targetList.Count; i++)
            {
                if (targetList[i] is JsonObject t && sourceList[i] is JsonObject s)
                {
                    t["image"] = s["image"]?.DeepClone();
                }
            }
        }
    }
}
