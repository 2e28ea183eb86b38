using k8s;
using k8s.Models;
using Lepton.Operator.Rebalancing;
using Lepton.Testing.KubeApiServer;

namespace Lepton.Operator.Tests.Rebalancing;

/// <summary>A pod source reading the API test server's store directly (what a synced informer cache would hold).</summary>
public sealed class ServerPodSource(KubeApiTestServer server) : IRebalancerPodSource
{
    public bool HasSynced => true;

    public V1Pod? Get(string @namespace, string name) =>
        server.Get("pods", @namespace, name) is { } json ? KubernetesJson.Deserialize<V1Pod>(json.ToJsonString()) : null;
}
