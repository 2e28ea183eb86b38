using k8s;
using k8s.Models;
using Lepton.Kubernetes;
using Lepton.Operator.Controllers.Caching;
using Lepton.Operator.Controllers.Informers;
using Lepton.Testing;

namespace Lepton.Operator.Tests.Controllers.Caching;

public sealed class CacheTransformsTests
{
    [Fact]
    public void Deduplicate_TwoPodsWithEqualValues_ShareStringAndQuantityInstances()
    {
        var sut = CacheTransforms.Deduplicate<V1Pod>();

        var a = sut(RealisticObjects.Pod(1));
        var b = sut(RealisticObjects.Pod(2));

        Assert.Same(a.Spec.Containers[0].Image, b.Spec.Containers[0].Image);
        Assert.Same(a.Metadata.Labels.Keys.First(), b.Metadata.Labels.Keys.First());
        Assert.Same(a.Status.Conditions[0].Type, b.Status.Conditions[0].Type);
        Assert.Same(a.Spec.Containers[0].Resources.Limits["nvidia.com/gpu"], b.Spec.Containers[0].Resources.Limits["nvidia.com/gpu"]);
        Assert.Equal("8", b.Spec.Containers[0].Resources.Requests["cpu"].ToString());
        Assert.NotEqual(a.Metadata.Name, b.Metadata.Name);
    }

    [Fact]
    public void Deduplicate_PoolFull_ClearsItAndKeepsValuesIntact()
    {
        var sut = CacheTransforms.Deduplicate<V1Pod>(poolCapacity: 8);

        var pods = Enumerable.Range(0, 20).Select(i => sut(RealisticObjects.Pod(i))).ToList();

        Assert.All(pods, p => Assert.Equal("registry.example.com/ml/trainer:v1.2.3", p.Spec.Containers[0].Image));
        Assert.Equal("train-job-2-worker-3", pods[19].Metadata.Name);
    }

    [Fact]
    public void SlimPod_RealisticPod_DropsKubeletOnlyFieldsAndKeepsWhatSchedulingReads()
    {
        var pod = RealisticObjects.Pod(3);

        var sut = CacheTransforms.SlimPod(pod);

        var container = sut.Spec.Containers[0];
        Assert.Null(sut.Spec.Volumes);
        Assert.Null(container.Env);
        Assert.Null(container.Command);
        Assert.Null(container.VolumeMounts);
        Assert.Equal("1", container.Resources.Requests["nvidia.com/gpu"].ToString());
        Assert.Equal("trainer", container.Name);
        Assert.Equal("node-3", sut.Spec.NodeName);
        Assert.Equal(3, sut.Spec.Tolerations.Count);
        Assert.Equal("Running", sut.Status.Phase);
        Assert.Equal(5, sut.Status.Conditions.Count);
    }

    [Fact]
    public void SlimPodStatus_RealisticPod_DropsKubeletOnlyStatusAndKeepsWhatLeptonReads()
    {
        var pod = RealisticObjects.Pod(3);
        pod.Status.Reason = "Evicted";
        pod.Status.Message = "The node was low on memory.";
        pod.Status.NominatedNodeName = "node-9";
        pod.Spec.Containers[0].SecurityContext = new V1SecurityContext { RunAsNonRoot = true };

        var sut = CacheTransforms.SlimPodStatus(pod);

        Assert.Null(sut.Status.ContainerStatuses);
        Assert.Null(sut.Status.PodIP);
        Assert.Null(sut.Status.PodIPs);
        Assert.Null(sut.Status.HostIP);
        Assert.Null(sut.Status.HostIPs);
        Assert.Null(sut.Status.StartTime);
        Assert.Null(sut.Spec.SecurityContext);
        Assert.Null(sut.Spec.Containers[0].SecurityContext);
        Assert.Equal(CacheTransforms.PodScheduled, Assert.Single(sut.Status.Conditions).Type);
        Assert.Equal("Running", sut.Status.Phase);
        Assert.Equal("Guaranteed", sut.Status.QosClass);
        Assert.Equal("Evicted", sut.Status.Reason);
        Assert.Equal("The node was low on memory.", sut.Status.Message);
        Assert.Equal("node-9", sut.Status.NominatedNodeName);
        Assert.Equal("node-3", sut.Spec.NodeName);
        Assert.Equal(3, sut.Spec.Tolerations.Count);
    }

    [Fact]
    public void SlimPodStatus_UnschedulablePendingPod_KeepsTheUnschedulableCondition()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "default" },
            Status = new V1PodStatus
            {
                Phase = "Pending",
                Conditions =
                [
                    new V1PodCondition { Type = "Ready", Status = "False" },
                    new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = "0/3 nodes are available" },
                ],
            },
        };

        var sut = CacheTransforms.SlimPodStatus(pod);

        var condition = Assert.Single(sut.Status.Conditions);
        Assert.Equal(("PodScheduled", "False", "Unschedulable", "0/3 nodes are available"), (condition.Type, condition.Status, condition.Reason, condition.Message));
    }

    [Fact]
    public void SlimPodStatus_NoSpecOrStatus_ReturnsThePod()
    {
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "p" } };

        var sut = CacheTransforms.SlimPodStatus(pod);

        Assert.Same(pod, sut);
        Assert.Null(sut.Status);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void DefaultTransform_Pod_MapsToTheSameDemandAsTheFullPod(int gpus)
    {
        var full = SchedulingRichPod(gpus);
        var transform = ResourceInformer<V1Pod>.DefaultTransform(new InformerOptions());
        var mapper = new KubeObjectMapper();

        var sut = transform(KubernetesJson.Deserialize<V1Pod>(KubernetesJson.Serialize(full)));

        Assert.Equivalent(mapper.ToDemand(full), mapper.ToDemand(sut), strict: true);
        var unapplied = KubernetesJson.Deserialize<V1Pod>(KubernetesJson.Serialize(full));
        unapplied.Metadata.Annotations.Remove(CacheTransforms.LastAppliedConfiguration);
        Assert.Equivalent(PodFacts.From(unapplied), PodFacts.From(sut), strict: true);
        Assert.Null(sut.Status.ContainerStatuses);
        Assert.Null(sut.Spec.Containers[0].Env);
        Assert.Null(sut.Metadata.ManagedFields);
    }

    [Fact]
    public void DefaultTransform_SlimmingOff_KeepsThePodStatus()
    {
        var sut = ResourceInformer<V1Pod>.DefaultTransform(new InformerOptions { SlimWellKnownTypes = false });

        var pod = sut(RealisticObjects.Pod(1));

        Assert.Equal(5, pod.Status.Conditions.Count);
        Assert.Single(pod.Status.ContainerStatuses);
        Assert.NotNull(pod.Status.PodIP);
    }

    /// <summary>A realistic pod that also carries everything the mapper reads: affinity, selector, init containers, overhead, a shared GPU.</summary>
    private static V1Pod SchedulingRichPod(int gpus)
    {
        var pod = RealisticObjects.Pod(5, gpus: gpus);
        pod.Metadata.Annotations["lepton.ai/gpu-milli"] = "500";
        pod.Metadata.Annotations["lepton.ai/gpu-models"] = "A100|H100";
        pod.Spec.NodeSelector = new Dictionary<string, string> { ["topology.kubernetes.io/zone"] = "zone-1" };
        pod.Spec.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                {
                    NodeSelectorTerms =
                    [
                        new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "nvidia.com/gpu.product", OperatorProperty = "In", Values = ["NVIDIA-A100-SXM4-80GB"] }] },
                    ],
                },
            },
        };
        pod.Spec.InitContainers =
        [
            new V1Container
            {
                Name = "fetch",
                Image = "busybox",
                Command = ["sh", "-c", "true"],
                Env = [new V1EnvVar { Name = "A", Value = "b" }],
                Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("2"), ["memory"] = new("1Gi") } },
                RestartPolicy = "Always",
            },
        ];
        pod.Spec.Overhead = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("250m") };
        pod.Spec.Priority = 1000;
        return pod;
    }

    [Fact]
    public void DefaultTransform_Node_DropsImagesAndManagedFieldsButKeepsCapacity()
    {
        var sut = ResourceInformer<V1Node>.DefaultTransform(new InformerOptions());

        var node = sut(RealisticObjects.Node(1));

        Assert.Null(node.Status.Images);
        Assert.Null(node.Metadata.ManagedFields);
        Assert.Equal("8", node.Status.Allocatable["nvidia.com/gpu"].ToString());
        Assert.Equal("NVIDIA-A100-SXM4-80GB", node.Metadata.Labels["nvidia.com/gpu.product"]);
    }

    [Fact]
    public void DefaultTransform_SlimmingOff_KeepsThePodSpec()
    {
        var sut = ResourceInformer<V1Pod>.DefaultTransform(new InformerOptions { SlimWellKnownTypes = false, DeduplicateStrings = false });

        var pod = sut(RealisticObjects.Pod(1));

        Assert.Equal(12, pod.Spec.Containers[0].Env.Count);
        Assert.Null(pod.Metadata.ManagedFields);
        Assert.DoesNotContain(CacheTransforms.LastAppliedConfiguration, pod.Metadata.Annotations.Keys);
    }
}
