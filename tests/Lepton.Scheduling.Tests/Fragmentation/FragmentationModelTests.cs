using Lepton.Scheduling.Fragmentation;
using Lepton.Testing;

namespace Lepton.Scheduling.Tests.Fragmentation;

/// <summary>
/// The fragmentation measure against the test vectors of the FGD artifact's
/// <c>pkg/utils/frag_test.go</c> (hkust-adsl/kubernetes-scheduler-simulator, Apache-2.0):
/// typical-task lists and expected values are data from there; see traces/openb/METHOD.md 2 and 7.
/// </summary>
public class FragmentationModelTests
{
    // (cpu milli, milli per GPU, GPUs, model or "", percentage) — the artifact's 35-type list, whose
    // percentages sum to 95.06 and are used as given (not renormalised).
    private static readonly (long Cpu, int Milli, int Count, string Model, double Pct)[] GpuTasks =
    [
        (6000, 465, 1, "", 9.33), (8000, 440, 1, "2080", 9.15), (8000, 475, 1, "T4", 8.76), (8000, 440, 1, "P100", 8.72),
        (2000, 465, 1, "", 8.68), (12000, 900, 1, "", 8.65), (4000, 900, 1, "", 8.43), (16000, 678, 1, "T4", 8.36),
        (8000, 500, 1, "", 8.29), (6000, 511, 1, "", 8.11), (14000, 1000, 2, "2080", 0.54), (4000, 1000, 1, "2080", 0.43),
        (32000, 1000, 2, "T4", 0.43), (16000, 1000, 1, "V100M16", 0.40), (64000, 1000, 2, "", 0.40), (10000, 1000, 2, "", 0.40),
        (11400, 1000, 1, "T4", 0.36), (16000, 1000, 1, "T4", 0.36), (4000, 1000, 2, "", 0.36), (14000, 1000, 2, "V100M16", 0.36),
        (8000, 1000, 4, "", 0.36), (16000, 1000, 2, "", 0.32), (2000, 1000, 1, "T4", 0.32), (6000, 1000, 1, "", 0.32),
        (4000, 1000, 1, "", 0.32), (5000, 1000, 1, "", 0.32), (32000, 1000, 4, "V100M16", 0.32), (32000, 1000, 2, "", 0.32),
        (24000, 1000, 8, "2080", 0.32), (40000, 1000, 4, "", 0.29), (32000, 1000, 8, "", 0.29), (32000, 1000, 1, "T4", 0.29),
        (16000, 1000, 1, "", 0.25), (7000, 1000, 1, "V100M16", 0.25), (24000, 1000, 1, "T4", 0.25),
    ];

    // The artifact's 31-type list with three CPU-only types.
    private static readonly (long Cpu, int Milli, int Count, string Model, double Pct)[] MixedTasks =
    [
        (15700, 1000, 1, "", 28.69), (11900, 1000, 1, "", 18.93), (11400, 1000, 1, "", 12.27), (1000, 0, 0, "", 7.36),
        (18710, 1000, 1, "", 4.85), (8200, 1000, 1, "", 3.79), (16400, 1000, 1, "", 3.31), (9810, 1000, 1, "", 1.97),
        (15200, 1000, 1, "", 1.87), (11200, 1000, 1, "", 1.81), (14200, 1000, 1, "", 1.76), (12000, 0, 0, "", 1.65),
        (14900, 1000, 1, "", 1.39), (60200, 1000, 4, "", 1.23), (64200, 1000, 8, "", 1.07), (32200, 1000, 4, "", 1.01),
        (17400, 1000, 2, "", 0.91), (30200, 1000, 2, "", 0.69), (16000, 1000, 1, "", 0.64), (15000, 1000, 1, "", 0.59),
        (64000, 1000, 8, "", 0.53), (15000, 0, 0, "", 0.53), (11910, 1000, 1, "", 0.53), (120200, 1000, 8, "", 0.48),
        (11300, 1000, 1, "", 0.37), (30000, 1000, 2, "", 0.32), (9800, 1000, 1, "", 0.32), (8000, 1000, 1, "", 0.32),
        (2000, 1000, 1, "", 0.27), (2000, 80, 1, "", 0.27), (1000, 1000, 1, "", 0.27),
    ];

    public static TheoryData<string, int[], long, string, double> Vectors => new()
    {
        { "gpu", [200, 1000, 1000, 500], 1000, "1080", 2566.62 },
        { "gpu", [1000, 1000, 1000, 1000], 1000, "1080", 3802.40 },
        { "gpu", [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000], 1000, "1080", 7604.80 },
        { "mixed", [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000], 64000, "P100", 887.20 },
        { "mixed", [1000, 1000, 1000, 1000, 0, 0, 0, 0], 32000, "P100", 554.4 },
        { "mixed", [1000, 1000, 1000, 1000, 0, 0, 0, 0], 0, "P100", 4000 },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Evaluate_ArtifactTestVector_MatchesExpected(string list, int[] cards, long cpuLeft, string model, double expected)
    {
        var sut = FragmentationModel.FromTasks(Tasks(list == "gpu" ? GpuTasks : MixedTasks));

        Assert.Equal(expected, sut.Evaluate(cards, cpuLeft, model), 2);
        Assert.Equal(expected, sut.Compute(cards, cpuLeft, model), 2);
    }

    [Fact]
    public void Evaluate_SingleTaskLackingCpu_AllIdleIsFragment()
    {
        var sut = FragmentationModel.FromTasks(Tasks([(6000, 465, 1, "", 9.33)]));

        Assert.Equal(251.91, sut.Evaluate([200, 1000, 1000, 500], 1000, "1080"), 2);
    }

    [Fact]
    public void Evaluate_MemoisedAndDirect_AgreeOnPermutedCards()
    {
        var sut = FragmentationModel.FromTasks(Tasks(GpuTasks));
        var a = sut.Evaluate([200, 1000, 500, 1000], 9000, "T4");
        var b = sut.Evaluate([1000, 500, 1000, 200], 9000, "T4");

        Assert.Equal(a, b);
        Assert.Equal(sut.Compute([200, 1000, 500, 1000], 9000, "T4"), a, 9);
    }

    [Fact]
    public void FromPods_ArtifactRule_KeepsClassesUntilCoverageAndWeightsByKeptShare()
    {
        // 10 pods of A, 6 of B, 3 of C, 1 of D: 95% of 20 = 19 → A, B, C kept (cumulative 19).
        var pods = Enumerable.Range(0, 10).Select(_ => Make.Share(500, 4000))
            .Concat(Enumerable.Range(0, 6).Select(_ => Make.Pod(cpuMilli: 8000, gpus: 1)))
            .Concat(Enumerable.Range(0, 3).Select(_ => Make.Pod(cpuMilli: 2000)))
            .Append(Make.Pod(cpuMilli: 16000, gpus: 8));

        var sut = FragmentationModel.FromPods(pods, 0.95);

        Assert.Equal(3, sut.Tasks.Count);
        Assert.Equal(10.0 / 19, sut.Tasks[0].Probability, 9);
        Assert.Equal((4000L, 500, 1), (sut.Tasks[0].CpuMilli, sut.Tasks[0].GpuMilli, sut.Tasks[0].GpuCount));
        Assert.Equal((2000L, 0, 0), (sut.Tasks[2].CpuMilli, sut.Tasks[2].GpuMilli, sut.Tasks[2].GpuCount));
        Assert.Equal(0.95, sut.Coverage, 9);
    }

    [Fact]
    public void FromPods_CountTie_BreaksByKeyDescending()
    {
        var pods = new[] { Make.Pod(cpuMilli: 1000), Make.Pod(cpuMilli: 3000), Make.Pod(cpuMilli: 2000) };

        var sut = FragmentationModel.FromPods(pods, 1.0);

        Assert.Equal([3000L, 2000L, 1000L], sut.Tasks.Select(t => t.CpuMilli));
    }

    [Fact]
    public void Of_NodeState_CachesPerModel()
    {
        var sut = FragmentationModel.FromTasks(Tasks(GpuTasks));
        var node = Make.State(Make.Node("n", 64000, 4, "1080"), [200, 1000, 1000, 500], cpuFree: 1000);

        var first = sut.Of(node);
        var second = sut.Of(node);

        Assert.Equal(2566.62, first, 2);
        Assert.Equal(first, second);
        Assert.Equal(0, FragmentationModel.Empty.Of(node));
    }

    [Fact]
    public void FromTasks_NegativeProbability_Throws()
    {
        Assert.Throws<ArgumentException>(() => FragmentationModel.FromTasks([new TypicalTask(1000, 500, 1, [], 1, -0.1)]));
    }

    internal static IEnumerable<TypicalTask> Tasks((long Cpu, int Milli, int Count, string Model, double Pct)[] rows) =>
        rows.Select(r => new TypicalTask(r.Cpu, r.Milli, r.Count, r.Model.Length == 0 ? [] : [r.Model.ToUpperInvariant()], 1, r.Pct / 100));
}
