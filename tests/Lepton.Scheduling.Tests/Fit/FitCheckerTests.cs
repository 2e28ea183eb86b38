using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.State;
using Lepton.Scheduling.Tests.Testing;

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

        Assert.Equal(FitCode.Fits, FitChecker.Check(Make.Pod(4000), NodeState.Empty(cpuNode)));
        Assert.Equal(FitCode.InsufficientCpu, FitChecker.Check(Make.Pod(9000), NodeState.Empty(cpuNode)));
        Assert.Equal(FitCode.NoGpu, FitChecker.Check(Make.Pod(1000, gpus: 1), NodeState.Empty(cpuNode)));
    }

    [Fact]
    public void Check_Fpga_MissingIsUnresolvableAndBusyIsResolvable()
    {
        const string Fpga = "fpga.intel.com/region-ce48969398f05f33946d560708be108a";
        var fpgaNode = Make.Node("fpga", gpus: 0) with { Extended = [new ResourceAmount(Fpga, 2)] };
        var pod = Make.Pod() with { Extended = [new ResourceAmount(Fpga, 2)] };
        var busy = NodeState.Empty(fpgaNode).WithPod(Make.Pod(0) with { Extended = [new ResourceAmount(Fpga, 1)] }, [], 1);

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
            .WithPod(Make.Pod(0) with { Extended = [new ResourceAmount(Fpga, 2)] }, [], 1);

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
}
