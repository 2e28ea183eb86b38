using k8s;
using k8s.Models;
using Lepton.Scheduling.Inventory;

namespace Lepton.Kubernetes.Tests;

public class KubeObjectMapperTests
{
    private static V1Pod Pod(string json) => KubernetesJson.Deserialize<V1Pod>(json);

    private static V1Node Node(string json) => KubernetesJson.Deserialize<V1Node>(json);

    [Fact]
    public void ToInventory_GfdLabelledNode_CardsModelAndMemoryFromLabels()
    {
        var sut = new KubeObjectMapper(new GpuModelCatalog(new Dictionary<string, string> { ["A100"] = "NVIDIA-A100-SXM4-80GB" }));
        var node = Node("""
            {"metadata":{"name":"gpu-1","labels":{"nvidia.com/gpu.count":"8","nvidia.com/gpu.product":"NVIDIA-A100-SXM4-80GB","nvidia.com/gpu.memory":"81920"}},
             "status":{"allocatable":{"cpu":"95500m","memory":"1000Gi","pods":"110","nvidia.com/gpu":"32","ephemeral-storage":"100Gi"}}}
            """);

        var inv = sut.ToInventory(node);

        Assert.Equal(95_500, inv.CpuMilli);
        Assert.Equal(1000L * 1024 * 1024 * 1024, inv.MemoryBytes);
        Assert.Equal("nvidia.com/gpu", inv.GpuResource);
        Assert.Equal(8, inv.GpuCards); // 32 time-slicing replicas over 8 physical cards
        Assert.Equal("NVIDIA-A100-SXM4-80GB", inv.GpuModel);
        Assert.Equal(81_920, inv.GpuMemoryMiB);
        Assert.Equal([new ResourceAmount("nvidia.com/gpu", 32)], inv.Extended.ToArray());
    }

    [Fact]
    public void ToInventory_AmdAndFpgaNodes()
    {
        var sut = new KubeObjectMapper();
        var amd = sut.ToInventory(Node("""{"metadata":{"name":"mi","labels":{"amd.com/gpu.product-name":"AMD_Instinct_MI300X","amd.com/gpu.vram":"192G"}},"status":{"allocatable":{"cpu":"64","memory":"512Gi","amd.com/gpu":"8"}}}"""));
        var fpga = sut.ToInventory(Node("""{"metadata":{"name":"f"},"spec":{"unschedulable":true},"status":{"allocatable":{"cpu":"16","memory":"64Gi","fpga.intel.com/region-ce48969398f05f33946d560708be108a":"2"}}}"""));

        Assert.Equal(("amd.com/gpu", 8, "AMD_INSTINCT_MI300X", 192 * 1024), (amd.GpuResource, amd.GpuCards, amd.GpuModel, amd.GpuMemoryMiB));
        Assert.Null(fpga.GpuResource);
        Assert.Equal(0, fpga.GpuCards);
        Assert.True(fpga.Unschedulable);
        Assert.Equal(2, fpga.Extended.Single().Quantity);
    }

    [Fact]
    public void ToDemand_EffectiveRequests_InitSidecarsOverheadAndLimitsAsRequests()
    {
        var pod = Pod("""
            {"metadata":{"name":"p","namespace":"ml","uid":"u1"},
             "spec":{
               "overhead":{"cpu":"100m"},
               "initContainers":[
                 {"name":"fetch","resources":{"requests":{"cpu":"4","memory":"1Gi"}}},
                 {"name":"proxy","restartPolicy":"Always","resources":{"requests":{"cpu":"500m","memory":"128Mi"}}}],
               "containers":[
                 {"name":"a","resources":{"requests":{"cpu":"1"},"limits":{"memory":"2Gi","nvidia.com/gpu":"2"}}},
                 {"name":"b","resources":{"requests":{"cpu":"250m","memory":"256Mi"}}}]}}
            """);

        var demand = new KubeObjectMapper().ToDemand(pod);

        // cpu: max(1 + 0.25 + 0.5 sidecar, 4 init) + 0.1 overhead; memory: max(2Gi + 256Mi + 128Mi, 1Gi).
        Assert.Equal(4100, demand.CpuMilli);
        Assert.Equal((2048L + 256 + 128) * 1024 * 1024, demand.MemoryBytes);
        Assert.Equal((2, 1000, "nvidia.com/gpu"), (demand.GpuCount, demand.GpuMilli, demand.GpuResource));
        Assert.Equal(("u1", "ml", "p"), (demand.Uid, demand.Namespace, demand.Name));
    }

    [Fact]
    public void ToDemand_FractionalShareAndModelConstraints()
    {
        var pod = Pod("""
            {"metadata":{"name":"infer","annotations":{"lepton.ai/gpu-milli":"460","lepton.ai/gpu-models":"a100|h100","lepton.ai/gpu-cards":"3"},"labels":{"lepton.ai/gang":"job-a"}},
             "spec":{"priority":1000,
               "affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"nvidia.com/gpu.product","operator":"In","values":["H100","L4"]}]}]}}},
               "containers":[{"name":"c","resources":{"limits":{"nvidia.com/gpu":"1"}}}]}}
            """);

        var demand = new KubeObjectMapper().ToDemand(pod);

        Assert.True(demand.IsSharing);
        Assert.Equal(460, demand.GpuMilli);
        Assert.Equal(["H100"], demand.GpuModels.ToArray()); // annotation ∩ affinity
        Assert.Equal([3], demand.CardsHint.ToArray());
        Assert.Equal(("job-a", 1000), (demand.Gang, demand.Priority));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    [InlineData("half")]
    [InlineData("-5")]
    public void ToDemand_BadGpuMilliAnnotation_ThrowsNamingPodAndValue(string value)
    {
        var pod = Pod($$$"""{"metadata":{"name":"bad","namespace":"ns","annotations":{"lepton.ai/gpu-milli":"{{{value}}}"}},"spec":{"containers":[{"name":"c"}]}}""");

        var error = Assert.Throws<KubeObjectException>(() => new KubeObjectMapper().ToDemand(pod));

        Assert.Contains("pod ns/bad", error.Message, StringComparison.Ordinal);
        Assert.Contains($"got '{value}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToDemand_ContradictoryModels_KeepsAnImpossibleConstraint()
    {
        var pod = Pod("""{"metadata":{"name":"p","annotations":{"lepton.ai/gpu-models":"T4"}},"spec":{"nodeSelector":{"nvidia.com/gpu.product":"A100"},"containers":[{"name":"c","resources":{"limits":{"nvidia.com/gpu":"1"}}}]}}""");

        var demand = new KubeObjectMapper().ToDemand(pod);

        Assert.False(demand.AcceptsModel("T4"));
        Assert.False(demand.AcceptsModel("A100"));
    }

    [Fact]
    public void ToDemand_NoRequests_IsBestEffortCpuOnly()
    {
        var demand = new KubeObjectMapper().ToDemand(Pod("""{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c"}]}}"""));

        Assert.Equal((0L, 0L, 0, "BestEffort"), (demand.CpuMilli, demand.MemoryBytes, demand.GpuCount, demand.QosClass));
        Assert.False(demand.NeedsGpu);
    }
    [Fact]
    public void ToDemand_NodeConstraints_MappedIntoPlacement()
    {
        var pod = Pod("""
            {"metadata":{"name":"p"},"spec":{"nodeName":"n3","nodeSelector":{"zone":"a","pool":"train"},
             "affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
               {"matchExpressions":[{"key":"kernel","operator":"Gt","values":["5"]}],"matchFields":[{"key":"metadata.name","operator":"In","values":["n3"]}]}]}}},
             "tolerations":[{"key":"gpu","operator":"Equal","value":"reserved","effect":"NoSchedule"}],"containers":[{"name":"c"}]}}
            """);

        var placement = new KubeObjectMapper().ToDemand(pod).Placement;

        Assert.NotNull(placement);
        Assert.Equal("n3", placement.NodeName);
        Assert.Equal(["pool=train", "zone=a"], placement.NodeSelector.Select(kv => $"{kv.Key}={kv.Value}"));
        var term = Assert.Single(placement.RequiredTerms);
        Assert.Equal("kernel Gt (5) and metadata.name In (n3)", term.ToString());
        Assert.Equal([new PodToleration("gpu", "Equal", "reserved", "NoSchedule")], placement.Tolerations.ToArray());
    }

    [Fact]
    public void ToDemand_NoConstraints_NoPlacement()
    {
        var demand = new KubeObjectMapper().ToDemand(Pod("""{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c"}]}}"""));

        Assert.Null(demand.Placement);
    }

    [Fact]
    public void ToInventory_LabelsAndTaints_Carried()
    {
        var node = Node("""
            {"metadata":{"name":"n","labels":{"pool":"train"}},"spec":{"unschedulable":true,"taints":[{"key":"gpu","value":"reserved","effect":"NoSchedule"},{"key":"spot","effect":"PreferNoSchedule"}]},
             "status":{"allocatable":{"cpu":"8","memory":"8Gi"}}}
            """);

        var inv = new KubeObjectMapper().ToInventory(node);

        Assert.True(inv.Unschedulable);
        Assert.Equal("train", inv.Labels["pool"]);
        Assert.Equal([new NodeTaint("gpu", "reserved", "NoSchedule"), new NodeTaint("spot", string.Empty, "PreferNoSchedule")], inv.Taints.ToArray());
        Assert.Equal(GpuSharing.Unknown, inv.GpuSharing);
    }

    [Theory]
    [InlineData("""{"nvidia.com/gpu.replicas":"1"}""", GpuSharing.Exclusive, "nvidia.com/gpu.replicas=1")]
    [InlineData("""{"nvidia.com/gpu.replicas":"4"}""", GpuSharing.Shared, "nvidia.com/gpu.replicas=4")]
    [InlineData("""{"nvidia.com/gpu.sharing-strategy":"none","nvidia.com/gpu.replicas":"1"}""", GpuSharing.Exclusive, "nvidia.com/gpu.sharing-strategy=none")]
    [InlineData("""{"nvidia.com/gpu.sharing-strategy":"time-slicing","nvidia.com/gpu.replicas":"4"}""", GpuSharing.Shared, "nvidia.com/gpu.sharing-strategy=time-slicing")]
    [InlineData("""{"nvidia.com/gpu.sharing-strategy":"mps"}""", GpuSharing.Shared, "nvidia.com/gpu.sharing-strategy=mps")]
    [InlineData("""{"nvidia.com/mps.capable":"true"}""", GpuSharing.Shared, "nvidia.com/mps.capable=true")]
    [InlineData("""{"nvidia.com/mps.capable":"false","nvidia.com/gpu.replicas":"1"}""", GpuSharing.Exclusive, "nvidia.com/gpu.replicas=1")]
    [InlineData("""{}""", GpuSharing.Unknown, null)]
    public void ToInventory_GfdSharingLabels_DecideGpuSharing(string labels, GpuSharing expected, string? evidence)
    {
        var node = Node("""{"metadata":{"name":"n","labels":""" + labels + """},"status":{"allocatable":{"cpu":"8","nvidia.com/gpu":"4"}}}""");

        var inv = new KubeObjectMapper().ToInventory(node);

        Assert.Equal(expected, inv.GpuSharing);
        Assert.Equal(evidence, inv.GpuSharingEvidence);
    }

    [Fact]
    public void ToInventory_NodeWithoutGpus_SharingUnknown()
    {
        var inv = new KubeObjectMapper().ToInventory(Node("""{"metadata":{"name":"n","labels":{"nvidia.com/gpu.replicas":"1"}},"status":{"allocatable":{"cpu":"8"}}}"""));

        Assert.Equal(GpuSharing.Unknown, inv.GpuSharing);
    }

    [Fact]
    public void ToInventory_SharedProductSuffix_MatchesTheModelConstraint()
    {
        var mapper = new KubeObjectMapper();
        var node = Node("""
            {"metadata":{"name":"n","labels":{"nvidia.com/gpu.product":"NVIDIA-A100-SXM4-80GB-SHARED","nvidia.com/gpu.replicas":"4","nvidia.com/gpu.count":"2"}},
             "status":{"allocatable":{"cpu":"8","memory":"8Gi","nvidia.com/gpu":"8"}}}
            """);
        var pod = Pod("""{"metadata":{"name":"p","annotations":{"lepton.ai/gpu-models":"NVIDIA-A100-SXM4-80GB","lepton.ai/gpu-milli":"600"}},"spec":{"containers":[{"name":"c","resources":{"limits":{"nvidia.com/gpu":"1"}}}]}}""");

        var inv = mapper.ToInventory(node);
        var demand = mapper.ToDemand(pod);

        Assert.Equal("NVIDIA-A100-SXM4-80GB", inv.GpuModel);
        Assert.True(demand.AcceptsModel(inv.GpuModel));
        Assert.Equal(Lepton.Scheduling.Fit.FitCode.Fits, Lepton.Scheduling.Fit.FitChecker.Check(demand, Lepton.Scheduling.State.NodeState.Empty(inv)));
    }
}
