using k8s;
using k8s.Models;
using Lepton.Operator.Controllers.Caching;
using Lepton.Operator.Controllers.Informers;
using Lepton.Testing;
using Xunit.Abstractions;

namespace Lepton.Operator.Tests.Controllers.Caching;

[CollectionDefinition(nameof(CacheMemoryTests), DisableParallelization = true)]
public sealed class CacheMemoryCollection;

/// <summary>
/// The memory budget of the informer caches: 5,000 nodes + 50,000 realistic pods must stay under 500 MB.
/// Measures a 1/20 sample (retained heap after a full GC, after a warm-up, with no other test running) and scales it.
/// </summary>
[Collection(nameof(CacheMemoryTests))]
public sealed class CacheMemoryTests(ITestOutputHelper output)
{
    private const long Budget = 500L * 1024 * 1024;
    private const int Scale = 20;
    private const int Pods = 50_000 / Scale;
    private const int Nodes = 5_000 / Scale;

    [Fact]
    public void ObjectCache_SampleOfTheTargetCluster_ScalesToUnderTheBudgetWithDefaultTransforms()
    {
        var (podBytes, nodeBytes) = Measure(out var pods, out var nodes);
        var projected = (podBytes + nodeBytes) * Scale;

        output.WriteLine($"default transforms: {podBytes / (double)Pods / 1024:F1} KiB per pod, {nodeBytes / (double)Nodes / 1024:F1} KiB per node, projected {projected / 1024.0 / 1024:F0} MiB");
        Assert.Equal(Pods, pods.Count);
        Assert.Equal(Nodes, nodes.Count);
        Assert.True(projected < Budget, $"projected {projected / 1024 / 1024} MiB");
    }

    private static (long PodBytes, long NodeBytes) Measure(out ObjectCache<V1Pod> pods, out ObjectCache<V1Node> nodes)
    {
        var podTransform = Transform<V1Pod>();
        var nodeTransform = Transform<V1Node>();

        // Warm up serializer metadata and reflection caches, which would otherwise count as cache memory.
        GC.KeepAlive(new ObjectCache<V1Pod>().Upsert(podTransform(RealisticObjects.Pod(-1))));
        GC.KeepAlive(nodeTransform(RealisticObjects.Node(-1)));
        var before = GC.GetTotalMemory(forceFullCollection: true);
        pods = new ObjectCache<V1Pod>();
        pods.AddIndexer(CacheIndexers.PodNodeName, CacheIndexers.ByPodNodeName);
        pods.AddIndexer(CacheIndexers.OwnerUid, CacheIndexers.ByOwnerUid);
        for (var i = 0; i < Pods; i++)
        {
            pods.Upsert(podTransform(RealisticObjects.Pod(i)));
        }

        var afterPods = GC.GetTotalMemory(forceFullCollection: true);
        nodes = new ObjectCache<V1Node>();
        for (var i = 0; i < Nodes; i++)
        {
            nodes.Upsert(nodeTransform(RealisticObjects.Node(i)));
        }

        var afterNodes = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(pods);
        GC.KeepAlive(nodes);
        return (afterPods - before, afterNodes - afterPods);
    }

    private static Func<T, T> Transform<T>()
        where T : class, IKubernetesObject<V1ObjectMeta>
        => ResourceInformer<T>.DefaultTransform(new InformerOptions());
}
