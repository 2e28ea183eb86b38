using System.Globalization;
using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Controllers;
using Lepton.Testing.KubeApiServer.Errors;
using Lepton.Testing.KubeApiServer.Json;
using Lepton.Testing.KubeApiServer.Resources;
using Lepton.Testing.KubeApiServer.Selectors;
using Lepton.Testing.KubeApiServer.Storage;

namespace Lepton.Testing.KubeApiServer.Subresources;

/// <summary>
/// <c>POST pods/{name}/eviction</c> with the PodDisruptionBudget checks of <c>registry/core/pod/storage/eviction.go</c>.
/// </summary>
internal sealed class PodEvictor(ObjectStore store)
{
    private const string ViolationMessage = "Cannot evict pod as it would violate the pod's disruption budget.";
    private const int MaxDisruptedPods = 2000;
    private static readonly GroupResource PdbResource = new("policy", "poddisruptionbudget");

    /// <summary>Evicts the pod; returns the 201 <c>Status{status: Success}</c> body or throws the API error.</summary>
    public JsonObject Evict(string ns, string urlName, JsonObject eviction) => store.Atomically(() =>
    {
        var name = ObjectMeta.Name(eviction);
        if (name != urlName)
        {
            throw ApiErrors.BadRequest("name in URL does not match name in Eviction object");
        }

        var deleteOptions = JsonNodes.GetObject(eviction, "deleteOptions");
        var preconditions = JsonNodes.GetObject(deleteOptions, "preconditions");
        var request = new DeleteRequest(
            JsonNodes.GetString(deleteOptions, "propagationPolicy"),
            JsonNodes.GetString(preconditions, "uid"),
            JsonNodes.GetString(preconditions, "resourceVersion"),
            JsonNodes.GetArray(deleteOptions, "dryRun") is { Count: > 0 });

        var pod = store.FindCore(WellKnown.Pods, ns, name) ?? throw ApiErrors.NotFound(WellKnown.Pods, name);
        CheckPreconditions(pod, request);
        if (CanIgnoreBudget(pod))
        {
            return DeletePod(pod, request);
        }

        var labels = ObjectMeta.Labels(pod);
        var budgets = store.ItemsCore(WellKnown.PodDisruptionBudgets, ns)
            .Where(b => LabelSelector.FromObject(JsonNodes.GetObject(JsonNodes.GetObject(b, "spec"), "selector")).Matches(labels))
            .ToArray();
        if (budgets.Length == 0)
        {
            return DeletePod(pod, request);
        }

        if (budgets.Length > 1)
        {
            throw ApiErrors.Internal("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
        }

        var pdb = budgets[0];
        var status = JsonNodes.GetObject(pdb, "status");
        var current = JsonNodes.GetInt64(status, "currentHealthy") ?? 0;
        var desired = JsonNodes.GetInt64(status, "desiredHealthy") ?? 0;
        if (!PodHealth.IsHealthy(pod))
        {
            // unhealthyPodEvictionPolicy: AlwaysAllow, or IfHealthyBudget (the default) while the budget is met.
            var policy = JsonNodes.GetString(JsonNodes.GetObject(pdb, "spec"), "unhealthyPodEvictionPolicy") ?? "IfHealthyBudget";
            if (policy == "AlwaysAllow" || (current >= desired && desired > 0))
            {
                return DeletePod(pod, request);
            }
        }

        CheckAndDecrement(pdb, name, request.DryRun);
        return DeletePod(pod, request);
    });

    private static bool CanIgnoreBudget(JsonObject pod) =>
        ObjectMeta.IsDeleting(pod)
        || JsonNodes.GetString(JsonNodes.GetObject(pod, "status"), "phase") is "Pending" or "Succeeded" or "Failed";

    private void CheckAndDecrement(JsonObject pdb, string podName, bool dryRun)
    {
        var pdbName = ObjectMeta.Name(pdb);
        var status = JsonNodes.GetObject(pdb, "status");
        var observed = JsonNodes.GetInt64(status, "observedGeneration") ?? 0;
        if (status is null || observed < ObjectMeta.Generation(pdb))
        {
            throw ApiErrors.TooManyRequests(ViolationMessage, 10,
                [Cause($"The disruption budget {pdbName} is still being processed by the server.")]);
        }

        var allowed = JsonNodes.GetInt64(status, "disruptionsAllowed") ?? 0;
        if (allowed < 0)
        {
            throw ApiErrors.Forbidden(PdbResource, pdbName, "pdb disruptions allowed is negative");
        }

        if ((JsonNodes.GetObject(status, "disruptedPods")?.Count ?? 0) >= MaxDisruptedPods)
        {
            throw ApiErrors.Forbidden(PdbResource, pdbName, "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
        }

        if (allowed == 0)
        {
            var desired = JsonNodes.GetInt64(status, "desiredHealthy") ?? 0;
            var current = JsonNodes.GetInt64(status, "currentHealthy") ?? 0;
            throw ApiErrors.TooManyRequests(ViolationMessage, 0,
                [Cause(string.Create(CultureInfo.InvariantCulture, $"The disruption budget {pdbName} needs {desired} healthy pods and has {current} currently"))]);
        }

        if (dryRun)
        {
            return;
        }

        var now = store.Now;
        store.MutateCore(WellKnown.PodDisruptionBudgets, pdb, o =>
        {
            var newStatus = JsonNodes.EnsureObject(o, "status");
            newStatus["disruptionsAllowed"] = allowed - 1;
            JsonNodes.EnsureObject(newStatus, "disruptedPods")[podName] = KubeTime.Format(now);
            if (allowed - 1 == 0)
            {
                newStatus["conditions"] = new JsonArray(DisruptionBudgetController.DisruptionAllowedCondition(newStatus, false, ObjectMeta.Generation(o), now));
            }
        });
    }

    private static void CheckPreconditions(JsonObject pod, DeleteRequest request)
    {
        var name = ObjectMeta.Name(pod);
        if (!string.IsNullOrEmpty(request.PreconditionUid) && request.PreconditionUid != ObjectMeta.Uid(pod))
        {
            throw ApiErrors.Conflict(WellKnown.Pods, name, $"Precondition failed: UID in precondition: {request.PreconditionUid}, UID in object meta: {ObjectMeta.Uid(pod)}");
        }

        if (!string.IsNullOrEmpty(request.PreconditionResourceVersion) && request.PreconditionResourceVersion != ObjectMeta.ResourceVersion(pod))
        {
            throw ApiErrors.Conflict(WellKnown.Pods, name,
                $"Precondition failed: ResourceVersion in precondition: {request.PreconditionResourceVersion}, ResourceVersion in object meta: {ObjectMeta.ResourceVersion(pod)}");
        }
    }

    private JsonObject DeletePod(JsonObject pod, DeleteRequest request)
    {
        if (!request.DryRun)
        {
            store.DeleteCore(WellKnown.Pods, pod, request.PropagationPolicy);
        }

        return ApiErrors.Success(code: 201);
    }

    private static JsonObject Cause(string message) => new() { ["reason"] = "DisruptionBudget", ["message"] = message };
}
