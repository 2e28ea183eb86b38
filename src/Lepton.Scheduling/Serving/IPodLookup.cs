using System.Diagnostics.CodeAnalysis;
using Lepton.Scheduling.Inventory;

namespace Lepton.Scheduling.Serving;

/// <summary>
/// The cluster's pods as this replica knows them from the source of truth, never from a request
/// body: the informer cache of the API server's pods, or the <c>--cluster-state</c> file
/// (DECISIONS.md 19). <c>/bind</c> takes the pod it binds from here, so a forged or stale
/// filter body cannot change what is bound.
/// </summary>
public interface IPodLookup
{
    /// <summary>Finds a pod by namespace and name, and checks its UID.</summary>
    /// <param name="namespace">The pod's namespace.</param>
    /// <param name="name">The pod's name.</param>
    /// <param name="uid">The UID the caller names; a pod of that name with another UID is not it.</param>
    /// <param name="pod">The pod's demand.</param>
    /// <param name="problem">Why it is not found (unknown, another UID, not mappable), for the bind error.</param>
    /// <returns>True when the pod is known with that UID.</returns>
    bool TryGetPod(string @namespace, string name, string uid, [NotNullWhen(true)] out PodDemand? pod, [NotNullWhen(false)] out string? problem);
}
