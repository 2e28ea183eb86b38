using System.Diagnostics.CodeAnalysis;
using k8s.Models;
using Lepton.Kubernetes;
using Lepton.Operator.Controllers;
using Lepton.Operator.Controllers.Informers;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Serving;

namespace Lepton.Operator.Serving;

/// <summary>
/// The pods of this replica's Pod informer cache, mapped on demand: what <c>/bind</c> binds when
/// Lepton watches an API server (DECISIONS.md 19). A pod the request names but the cache has
/// not seen yet is refused; kube-scheduler retries the bind after its backoff.
/// </summary>
/// <param name="pods">The Pod informer.</param>
/// <param name="mapper">Maps core/v1 Pods.</param>
public sealed class InformerPodLookup(IResourceInformer<V1Pod> pods, KubeObjectMapper mapper) : IPodLookup
{
    /// <inheritdoc />
    public bool TryGetPod(string @namespace, string name, string uid, [NotNullWhen(true)] out PodDemand? pod, [NotNullWhen(false)] out string? problem)
    {
        pod = null;
        var v1 = pods.Cache.Get(new NamespacedName(@namespace, name));
        if (v1 is null)
        {
            problem = "not in this replica's pod cache (not created, or not seen yet)";
            return false;
        }

        if (!string.Equals(v1.Metadata.Uid, uid, StringComparison.Ordinal))
        {
            problem = $"the cached pod of that name has uid {v1.Metadata.Uid}";
            return false;
        }

        try
        {
            pod = mapper.ToDemand(v1);
        }
        catch (KubeObjectException e)
        {
            problem = e.Message;
            return false;
        }

        problem = null;
        return true;
    }
}
