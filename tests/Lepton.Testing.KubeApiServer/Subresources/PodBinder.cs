using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Controllers;
using Lepton.Testing.KubeApiServer.Errors;
using Lepton.Testing.KubeApiServer.Json;
using Lepton.Testing.KubeApiServer.Resources;
using Lepton.Testing.KubeApiServer.Storage;
using Lepton.Testing.KubeApiServer.Storage.Strategies;

namespace Lepton.Testing.KubeApiServer.Subresources;

/// <summary>
/// <c>POST pods/{name}/binding</c> (and the legacy <c>bindings</c> resource) with the checks of
/// <c>BindingREST</c>: validation, UID/resourceVersion preconditions, and Conflict for a pod that is deleting,
/// already bound, or gated.
/// </summary>
internal sealed class PodBinder(ObjectStore store)
{
    private static readonly GroupResource BindingResource = new("", "pods/binding");

    /// <summary>Binds the pod; returns the 201 <c>Status{status: Success}</c> body.</summary>
    public JsonObject Bind(string ns, string? urlName, JsonObject binding) => store.Atomically(() =>
    {
        var meta = JsonNodes.GetObject(binding, "metadata");
        var name = JsonNodes.GetString(meta, "name") ?? "";
        if (urlName is not null && name != urlName)
        {
            throw ApiErrors.BadRequest("name in URL does not match name in Binding object");
        }

        var target = JsonNodes.GetObject(binding, "target");
        var errors = new List<FieldError>();
        var kind = JsonNodes.GetString(target, "kind") ?? "";
        if (kind is not ("" or "Node"))
        {
            errors.Add(FieldError.NotSupported("target.kind", kind, ["Node", "<empty>"]));
        }

        var nodeName = JsonNodes.GetString(target, "name") ?? "";
        if (nodeName.Length == 0)
        {
            errors.Add(FieldError.Required("target.name", ""));
        }

        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid("Binding", "", name, errors);
        }

        var pod = store.FindCore(WellKnown.Pods, ns, name) ?? throw ApiErrors.NotFound(WellKnown.Pods, name);
        if (JsonNodes.GetString(meta, "uid") is { Length: > 0 } uid && uid != ObjectMeta.Uid(pod))
        {
            throw ApiErrors.Conflict(BindingResource, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {ObjectMeta.Uid(pod)}");
        }

        if (JsonNodes.GetString(meta, "resourceVersion") is { Length: > 0 } rv && rv != ObjectMeta.ResourceVersion(pod))
        {
            throw ApiErrors.Conflict(BindingResource, name,
                $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {ObjectMeta.ResourceVersion(pod)}");
        }

        if (ObjectMeta.IsDeleting(pod))
        {
            throw ApiErrors.Conflict(BindingResource, name, $"pod {name} is being deleted, cannot be assigned to a host");
        }

        var boundTo = JsonNodes.GetString(JsonNodes.GetObject(pod, "spec"), "nodeName");
        if (!string.IsNullOrEmpty(boundTo))
        {
            throw ApiErrors.Conflict(BindingResource, name, $"pod {name} is already assigned to node \"{boundTo}\"");
        }

        if (PodStrategy.SchedulingGates(pod).Count > 0)
        {
            throw ApiErrors.Conflict(BindingResource, name, $"pod {name} has non-empty .spec.schedulingGates");
        }

        store.MutateCore(WellKnown.Pods, pod, updated =>
        {
            JsonNodes.EnsureObject(updated, "spec")["nodeName"] = nodeName;
            if (JsonNodes.GetObject(meta, "annotations") is { Count: > 0 } annotations)
            {
                var merged = JsonNodes.EnsureObject(ObjectMeta.Of(updated), "annotations");
                foreach (var (key, value) in annotations)
                {
                    merged[key] = value?.DeepClone();
                }
            }

            SetPodScheduled(updated, store.Now);
        });

        return ApiErrors.Success(code: 201);
    });

    private static void SetPodScheduled(JsonObject pod, DateTimeOffset now)
    {
        var status = JsonNodes.EnsureObject(pod, "status");
        var conditions = status["conditions"] as JsonArray ?? [];
        var kept = new JsonArray();
        foreach (var condition in conditions.OfType<JsonObject>())
        {
            if (JsonNodes.GetString(condition, "type") != "PodScheduled")
            {
                kept.Add(condition.DeepClone());
            }
        }

        kept.Add(new JsonObject
        {
            ["type"] = "PodScheduled",
            ["status"] = "True",
            ["lastTransitionTime"] = KubeTime.Format(now),
        });
        status["conditions"] = kept;
    }
}
