using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.State;
using Lepton.Testing;

namespace Lepton.Scheduling.Tests.Fit;

public class FitCheckerTests
{
    private static readonly NodeInventory A100x8 = Make.Node("a100", cpuMilli: 64_000, gpus: 8, model: "A100");

    [Fact]
    public void Explain_TooFewFreeCards_NamesNumbersAndIsResolvable()
    {
        var node = Make.State(A100x8, [0, 0, 0, 0, 0, 0, 0, 1000]);

        var result = FitChecker.Explain(Make.Pod(gpus: 2), node);

        Assert.Equal(FitCode.InsufficientGpu, result.Code);
        Assert.Equal("Insufficient GPU: needs 2 GPUs, 1 free of 8", result.Message);
        Assert.False(result.IsUnresolvable);
    }

    [Fact]
    public void Explain_MoreCardsThanNodeHas_IsUnresolvable()
    {
        var result = FitChecker.Explain(Make.Pod(gpus: 16), NodeState.Empty(A100x8));

        Assert.Equal(FitCode.TooFewGpuCards, result.Code);
        Assert.True(result.IsUnresolvable);
        Assert.Contains("needs 16 GPUs, node has 8 in total", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_ModelNotAllowed_IsUnresolvable()
    {
        var result = FitChecker.Explain(Make.Pod(gpus: 1, models: ["H100", "H200"]), NodeState.Empty(A100x8));

        Assert.Equal(FitCode.GpuModelMismatch, result.Code);
        Assert.True(result.IsUnresolvable);
        Assert.Equal("GPU model mismatch: needs H100|H200, node has A100", result.Message);
    }

    [Fact]
    public void Check_ShareFitsOnPartlyUsedCard()
    {
        var node = Make.State(A100x8, [300, 0, 0, 0, 0, 0, 0, 0]);

        Assert.Equal(FitCode.Fits, FitChecker.Check(Make.Share(250), node));
        Assert.Equal(FitCode.InsufficientGpuShare, FitChecker.Check(Make.Share(301), node));
    }

    [Fact]
    public void Check_CpuOnlyPod_FitsAnyNodeWithCpu()
    {
        var cpuNode = Make.Node("cpu", cpuMilli: 8000, gpus: 0);

        Assert.Equal(FitCode.Fits, FitChecker.Check(Make.Pod(cpuMilli: 4000), NodeState.Empty(cpuNode)));
        Assert.Equal(FitCode.InsufficientCpu, FitChecker.Check(Make.Pod(cpuMilli: 9000), NodeState.Empty(cpuNode)));
        Assert.Equal(FitCode.NoGpu, FitChecker.Check(Make.Pod(cpuMilli: 1000, gpus: 1), NodeState.Empty(cpuNode)));
    }

    [Fact]
    public void Check_Fpga_MissingIsUnresolvableAndBusyIsResolvable()
    {
        const string Fpga = "fpga.intel.com/region-ce48969398f05f33946d560708be108a";
        var fpgaNode = Make.Node("fpga", gpus: 0) with { Extended = [new ResourceAmount(Fpga, 2)] };
        var pod = Make.Pod() with { Extended = [new ResourceAmount(Fpga, 2)] };
        var busy = NodeState.Empty(fpgaNode).WithPod(Make.Pod(cpuMilli: 0) with { Extended = [new ResourceAmount(Fpga, 1)] }, [], 1);

        Assert.Equal(FitCode.Fits, FitChecker.Check(pod, NodeState.Empty(fpgaNode)));
        Assert.Equal(FitCode.MissingExtended, FitChecker.Check(pod, NodeState.Empty(A100x8)));
        Assert.Equal(FitCode.InsufficientExtended, FitChecker.Check(pod, busy));
        Assert.Contains("2 fpga.intel.com/region-ce48969398f05f33946d560708be108a, 1 free of 2", FitChecker.Explain(pod, busy).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExtendedShortages_MissingShortInTotalAndShortNow_NameTheResourceWithItsNumbers()
    {
        const string Fpga = "xilinx.com/fpga-xilinx_u250";
        var pod = Make.Pod() with { Extended = [new ResourceAmount(Fpga, 2)] };
        var small = NodeState.Empty(Make.Node("small", gpus: 0) with { Extended = [new ResourceAmount(Fpga, 1)] });
        var busy = NodeState.Empty(Make.Node("busy", gpus: 0) with { Extended = [new ResourceAmount(Fpga, 3)] })
            .WithPod(Make.Pod(cpuMilli: 0) with { Extended = [new ResourceAmount(Fpga, 2)] }, [], 1);

        Assert.Equal(new ExtendedShortage(Fpga, 2, 0, 0), FitChecker.FirstMissingExtended(pod, NodeState.Empty(A100x8)));
        Assert.Null(FitChecker.FirstMissingExtended(pod, small));
        Assert.Equal(new ExtendedShortage(Fpga, 2, 1, 1), FitChecker.FirstShortExtended(pod, small, total: true));
        Assert.Null(FitChecker.FirstShortExtended(pod, busy, total: true));
        Assert.Equal(new ExtendedShortage(Fpga, 2, 3, 1), FitChecker.FirstShortExtended(pod, busy, total: false));
    }

    [Fact]
    public void Check_ReservedElsewhere_IsUnresolvable()
    {
        var pod = Make.Pod(gpus: 1) with { ReservedNode = "other" };

        Assert.Equal(FitCode.ReservedElsewhere, FitChecker.Check(pod, NodeState.Empty(A100x8)));
        Assert.Equal(FitCode.Fits, FitChecker.Check(pod with { ReservedNode = "a100" }, NodeState.Empty(A100x8)));
    }

    [Theory]
    [InlineData("nvidia.com/gpu", "nvidia.com/gpu.shared", true)]
    [InlineData("nvidia.com/gpu", "amd.com/gpu", false)]
    [InlineData(null, "amd.com/gpu", true)]
    [InlineData("gpu.intel.com/i915", "gpu.intel.com/xe", false)]
    public void SameGpuFamily_Table(string? pod, string node, bool expected)
    {
        Assert.Equal(expected, FitChecker.SameGpuFamily(pod, node));
    }

    [Fact]
    public void Check_MultiCardShare_NeedsDistinctCards()
    {
        var node = Make.State(Make.Node("n", gpus: 2), [600, 200]);

        Assert.Equal(FitCode.InsufficientGpuShare, FitChecker.Check(Make.Pod(gpus: 2, milli: 500), node));
        Assert.Equal(FitCode.Fits, FitChecker.Check(Make.Pod(gpus: 2, milli: 200), node));
    }

    [Fact]
    public void Check_ShareLargerThanAnyCardsFree_FailsOnTheMostFreeCard()
    {
        var node = Make.State(Make.Node("n", gpus: 4), [300, 0, 450, 100]);

        Assert.Equal(450, node.MostFreeOnOneCard);
        Assert.Equal(FitCode.InsufficientGpuShare, FitChecker.Check(Make.Share(451), node));
        Assert.Equal(FitCode.Fits, FitChecker.Check(Make.Share(450), node));
        Assert.Equal(FitCode.Fits, FitChecker.Check(Make.Pod(gpus: 2, milli: 300), node));
        Assert.Equal(FitCode.InsufficientGpuShare, FitChecker.Check(Make.Pod(gpus: 2, milli: 301), node));
    }

    [Fact]
    public void Check_PodWhoseOnlyExtendedResourceIsTheNodesGpuDevice_CountsDeviceReplicas()
    {
        // Time-slicing: 2 cards advertised as 8 device replicas; the pod asks for device replicas.
        var node = Make.Node("ts", gpus: 2) with { Extended = [new ResourceAmount("nvidia.com/gpu", 8)] };
        PodDemand Replicas(long n) => Make.Share(100, cpuMilli: 0) with { GpuResource = "nvidia.com/gpu", Extended = [new ResourceAmount("nvidia.com/gpu", n)] };
        var state = NodeState.Empty(node);
        for (var i = 0; i < 6; i++)
        {
            state = state.WithPod(Replicas(1), [i % 2], i + 1);
        }

        Assert.Equal(FitCode.Fits, FitChecker.Check(Replicas(2), state));
        Assert.Equal(FitCode.InsufficientExtended, FitChecker.Check(Replicas(3), state));
        Assert.Equal(FitCode.TooLittleExtended, FitChecker.Check(Replicas(9), state));
        Assert.Contains("Insufficient resource: needs 3 nvidia.com/gpu, 2 free of 8", FitChecker.Explain(Replicas(3), state).Message, StringComparison.Ordinal);

        // The same demand with a second extended resource takes the general path and agrees.
        var withFpga = Replicas(3) with { Extended = [new ResourceAmount("nvidia.com/gpu", 3), new ResourceAmount("example.com/other", 0)] };
        Assert.Equal(FitCode.InsufficientExtended, FitChecker.Check(withFpga, state));
    }

    [Theory]
    [InlineData(FitReasonDetail.Full)]
    [InlineData(FitReasonDetail.Summary)]
    public void TryDescribe_EveryCode_WritesDescribesMessageAndReportsATooSmallBuffer(FitReasonDetail detail)
    {
        var cases = new (FitCode Code, PodDemand Pod, NodeState Node)[]
        {
            (FitCode.NodeCordoned, Make.Pod(), NodeState.Empty(A100x8 with { Unschedulable = true })),
            (FitCode.ReservedElsewhere, Make.Pod() with { ReservedNode = "other" }, NodeState.Empty(A100x8)),
            (FitCode.NoGpu, Make.Pod(gpus: 1), NodeState.Empty(Make.Node("cpu", gpus: 0))),
            (FitCode.GpuModelMismatch, Make.Pod(gpus: 1, models: ["H100", "H200"]), NodeState.Empty(A100x8)),
            (FitCode.TooFewGpuCards, Make.Pod(gpus: 16), NodeState.Empty(A100x8)),
            (FitCode.InsufficientCpu, Make.Pod(cpuMilli: 100_000), NodeState.Empty(A100x8)),
            (FitCode.InsufficientMemory, Make.Pod(memoryMiB: 1 << 30), NodeState.Empty(A100x8)),
            (FitCode.InsufficientGpu, Make.Pod(gpus: 8), Make.State(A100x8, [1000, 1000, 0, 0, 0, 0, 0, 0])),
            (FitCode.InsufficientGpuShare, Make.Share(600), Make.State(Make.Node("n", gpus: 2), [500, 200])),
        };

        foreach (var (code, pod, node) in cases)
        {
            Assert.Equal(code, FitChecker.Check(pod, node));
            var expected = FitChecker.Describe(code, pod, node, detail);
            Assert.False(string.IsNullOrEmpty(expected));
            var buffer = new char[512];
            Assert.True(FitChecker.TryDescribe(code, pod, node, buffer, out var written, detail));
            Assert.Equal(expected, new string(buffer, 0, written));
            Assert.False(FitChecker.TryDescribe(code, pod, node, new char[expected.Length - 1], out _, detail));
        }

        var cpu = NodeState.Empty(Make.Node("cpu", gpus: 0));
        Assert.Equal("No GPU: needs 2 GPUs, node has no GPUs", FitChecker.Describe(FitCode.NoGpu, Make.Pod(gpus: 2), cpu));
        Assert.Equal("No GPU: needs 600 milli-GPU, node has no GPUs", FitChecker.Describe(FitCode.NoGpu, Make.Share(600), cpu));
        Assert.Contains("most free on one card 500 of 1000", FitChecker.Describe(FitCode.InsufficientGpuShare, Make.Share(600), Make.State(Make.Node("n", gpus: 2), [500, 200])), StringComparison.Ordinal);
    }
}
