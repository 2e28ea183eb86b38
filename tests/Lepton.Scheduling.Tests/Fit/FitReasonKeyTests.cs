using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.State;
using Lepton.Testing;

namespace Lepton.Scheduling.Tests.Fit;

public class FitReasonKeyTests
{
    private static readonly FitCode[] WithoutKey =
    [
        FitCode.UntoleratedTaint, FitCode.NodeSelectorMismatch, FitCode.NodeAffinityMismatch,
        FitCode.MissingExtended, FitCode.TooLittleExtended, FitCode.InsufficientExtended,
    ];

    [Theory]
    [InlineData(FitReasonDetail.Full)]
    [InlineData(FitReasonDetail.Summary)]
    public void TryGetReasonKey_ManyPodsAndNodes_EqualKeysHaveEqualReasons(FitReasonDetail detail)
    {
        var random = new Random(7);
        var nodes = new List<NodeState>();
        string?[] models = ["A100", "T4", null];
        for (var i = 0; i < 400; i++)
        {
            var cards = new[] { 0, 1, 2, 4, 8 }[random.Next(5)];
            var inventory = Make.Node(
                $"n{i}",
                cpuMilli: 1_000 * random.Next(1, 4),
                gpus: cards,
                model: models[random.Next(models.Length)],
                memoryMiB: 1024 * random.Next(1, 3),
                maxPods: random.Next(1, 3));
            var free = Enumerable.Range(0, cards).Select(_ => new[] { 0, 250, 500, 1000 }[random.Next(4)]).ToArray();
            nodes.Add(Make.State(inventory, free, cpuFree: random.Next(0, 3) * 500));
        }

        PodDemand[] pods =
        [
            Make.Pod(gpus: 1), Make.Pod(gpus: 2), Make.Pod(gpus: 8), Make.Share(500), Make.Share(250),
            Make.Pod(cpuMilli: 2_500), Make.Pod(gpus: 1, models: ["H100"]), Make.Demand("d", gpus: 2), Make.Demand("s", gpus: 2, milli: 500),
        ];
        var keyed = 0;
        foreach (var pod in pods)
        {
            var reasons = new Dictionary<FitReasonKey, string>();
            foreach (var node in nodes)
            {
                var code = FitChecker.Check(pod, node);
                if (code == FitCode.Fits)
                {
                    continue;
                }

                var sut = FitChecker.TryGetReasonKey(code, pod, node, detail, out var key);

                if (!sut)
                {
                    Assert.Contains(code, WithoutKey);
                    continue;
                }

                Assert.Equal(code, key.Code);
                var reason = FitChecker.Describe(code, pod, node, detail);
                if (reasons.TryGetValue(key, out var earlier))
                {
                    Assert.Equal(earlier, reason);
                    keyed++;
                }
                else
                {
                    reasons[key] = reason;
                }
            }
        }

        // Reasons repeat: most failures find their text by key.
        Assert.True(keyed > 1_000, $"{keyed} reasons found by key");
    }

    [Fact]
    public void TryGetReasonKey_FitsOrPredicateReason_HasNoKey()
    {
        var node = NodeState.Empty(Make.Node("n"));
        var pod = Make.Pod(gpus: 1);

        Assert.False(FitChecker.TryGetReasonKey(FitCode.Fits, pod, node, out _));
        Assert.False(FitChecker.TryGetReasonKey(FitCode.UntoleratedTaint, pod, node, out _));
        Assert.False(FitChecker.TryGetReasonKey(FitCode.InsufficientExtended, pod, node, out _));
    }

    [Fact]
    public void Describe_SummaryOfACapacityReason_IsTheSameTextOnEveryNode()
    {
        // kube-scheduler counts nodes by identical reason: one text per pod and code, whatever each node has free.
        var pod = Make.Pod(gpus: 2, cpuMilli: 4_000);
        NodeState[] nodes = [Make.State(Make.Node("a", gpus: 8), [1000, 0, 0, 0, 0, 0, 0, 0]), Make.State(Make.Node("b", gpus: 4), [0, 0, 0, 0])];

        var sut = nodes.Select(n => FitChecker.Describe(FitCode.InsufficientGpu, pod, n, FitReasonDetail.Summary)).Distinct().ToList();
        var full = nodes.Select(n => FitChecker.Describe(FitCode.InsufficientGpu, pod, n)).Distinct().ToList();

        Assert.Equal(["Insufficient GPU: needs 2 free GPUs"], sut);
        Assert.Equal(2, full.Count);
        Assert.True(FitChecker.IsPodOnlySummary(FitCode.InsufficientGpu));
        Assert.False(FitChecker.IsPodOnlySummary(FitCode.UntoleratedTaint));
    }
}
