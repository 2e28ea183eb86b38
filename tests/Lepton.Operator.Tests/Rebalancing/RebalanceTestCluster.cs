using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Lepton.Operator.Rebalancing;
using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.State;
using Lepton.Testing.KubeApiServer;

namespace Lepton.Operator.Tests.Rebalancing;

/// <summary>
/// A hand-built cluster for rebalancer tests: the scheduling core's <see cref="ClusterState"/> and the matching
/// pod objects (for an in-memory pod source or the API test server).
/// </summary>
public sealed class RebalanceTestCluster
{
    public const string GpuResource = "nvidia.com/gpu";

    private readonly List<V1Pod> _pods = [];

    public ClusterState State { get; } = new();

    public IReadOnlyList<V1Pod> Pods => _pods;

    /// <summary>One typical task: one whole GPU and 1 CPU, so a card with 1..999 milli free is a fragment.</summary>
    public static FragmentationModel WholeGpuMix() => FragmentationModel.FromTasks([new TypicalTask(1000, 1000, 1, [], 1, 1.0)]);

    public RebalanceTestCluster Node(string name, int gpus = 4, long cpuMilli = 64_000, bool unschedulable = false)
    {
        State.UpsertNode(new NodeInventory
        {
            Name = name,
            CpuMilli = cpuMilli,
            MemoryBytes = 256L << 30,
            GpuResource = gpus > 0 ? GpuResource : null,
            GpuCards = gpus,
            Unschedulable = unschedulable,
        });
        return this;
    }

    /// <summary>Places a GPU pod on explicit cards and records its pod object.</summary>
    public V1Pod Pod(
        string name,
        string node,
        int milli,
        int[] cards,
        string? owner = "ReplicaSet",
        string ns = "default",
        int priority = 0,
        IDictionary<string, string>? labels = null,
        IDictionary<string, string>? annotations = null)
    {
        var demand = new PodDemand
        {
            Uid = "uid-" + name,
            Namespace = ns,
            Name = name,
            CpuMilli = 1000,
            MemoryBytes = 1L << 30,
            GpuCount = cards.Length,
            GpuMilli = milli,
            GpuResource = GpuResource,
            Priority = priority,
        };
        State.Place(demand, node, cards);
        var pod = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = ns,
                Uid = demand.Uid,
                Labels = labels ?? new Dictionary<string, string> { ["app"] = name },
                Annotations = annotations,
                OwnerReferences = Owner(owner, name),
            },
            Spec = new V1PodSpec
            {
                NodeName = node,
                Priority = priority,
                Containers = [new V1Container { Name = "main", Image = "trainer" }],
            },
            Status = new V1PodStatus { Phase = "Running" },
        };
        _pods.Add(pod);
        return pod;
    }

    public IReadOnlyList<RebalanceCandidate> Candidates() =>
        [.. State.Pods().Select(p => new RebalanceCandidate(p, "owner-" + p.Pod.Name))];

    public NodeState[] Nodes() => State.Nodes.ToArray();

    public DictionaryPodSource PodSource() => new(_pods);

    /// <summary>Seeds the pods (Running, bound) into the API test server.</summary>
    public void SeedInto(KubeApiTestServer server)
    {
        foreach (var pod in _pods)
        {
            Seed(server, pod);
        }
    }

    /// <summary>Seeds one pod object into the API test server.</summary>
    public static void Seed(KubeApiTestServer server, V1Pod pod) => server.Seed((JsonObject)JsonNode.Parse(KubernetesJson.Serialize(pod))!);

    private static List<V1OwnerReference>? Owner(string? kind, string podName) => kind switch
    {
        null => null,
        "Node" => [new V1OwnerReference { ApiVersion = "v1", Kind = "Node", Name = "node", Uid = "owner-" + podName, Controller = true }],
        "DaemonSet" or "ReplicaSet" or "StatefulSet" => [new V1OwnerReference { ApiVersion = "apps/v1", Kind = kind, Name = "owner", Uid = "owner-" + podName, Controller = true }],
        "Job" => [new V1OwnerReference { ApiVersion = "batch/v1", Kind = kind, Name = "owner", Uid = "owner-" + podName, Controller = true }],
        "LeptonJob" => [new V1OwnerReference { ApiVersion = "lepton.ai/v1alpha1", Kind = kind, Name = "owner", Uid = "owner-" + podName, Controller = true }],
        _ => [new V1OwnerReference { ApiVersion = "example.com/v1", Kind = kind, Name = "owner", Uid = "owner-" + podName, Controller = true }],
    };
}
