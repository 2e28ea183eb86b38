using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.State;
using Lepton.Testing;

namespace Lepton.Scheduling.Tests.State;

/// <summary>Invariants over random operation sequences and random cluster states.</summary>
public class ClusterStatePropertyTests
{
    private static readonly int[] Shares = [100, 250, 460, 500, 700, 1000];

    [Property(MaxTest = 150)]
    public bool Assume_AnySequence_NeverOverAllocatesACard(NonEmptyArray<int> script)
    {
        var sut = new ClusterState();
        for (var n = 0; n < 4; n++)
        {
            sut.UpsertNode(Make.Node($"n{n}", cpuMilli: 32_000, gpus: 1 << n));
        }

        var placed = new List<string>();
        foreach (var raw in script.Get)
        {
            var op = raw & 0xFFFF;
            if (op % 4 == 3 && placed.Count > 0)
            {
                var uid = placed[op % placed.Count];
                sut.Remove(uid);
                placed.Remove(uid);
                continue;
            }

            var milli = Shares[(op >> 2) % Shares.Length];
            var gpus = milli == 1000 ? 1 + ((op >> 5) % 4) : 1;
            var pod = Make.Pod(cpuMilli: 1000 * ((op >> 7) % 4), gpus: (op >> 9) % 5 == 0 ? 0 : gpus, milli: milli);
            var node = $"n{(op >> 11) % 4}";
            var outcome = sut.Assume(pod, node, (s, cards) => CardSelection.Select(pod, s.CardFree, CardSelection.ShareRule.BestFit, cards));
            if (outcome.Succeeded)
            {
                placed.Add(pod.Uid);
            }
        }

        foreach (var node in sut.Nodes)
        {
            var allocated = sut.PodsOn(node.Name).Sum(p => p.Cards.Length * p.Pod.GpuMilli);
            foreach (var free in node.CardFree)
            {
                if (free < 0 || free > 1000)
                {
                    return false;
                }
            }

            if (node.CpuFreeMilli < 0 || node.Inventory.GpuMilliCapacity - node.GpuIdleMilli != allocated)
            {
                return false;
            }
        }

        return true;
    }

    [Property(MaxTest = 100)]
    public Property Score_EveryPolicy_WithinZeroToHundred_AndMappedWithinZeroToTen()
    {
        var gen =
            from cards in Gen.ArrayOf(Gen.Elements(0, 80, 200, 460, 500, 1000), 8)
            from cpuFree in Gen.Choose(0, 128)
            from milli in Gen.Elements(100, 460, 1000)
            from count in Gen.Choose(0, 4)
            from seed in Gen.Choose(0, 1000)
            select (cards, cpuFree, milli, count, seed);
        return Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var registry = ScorerRegistry.CreateDefault();
            var node = Make.State(Make.Node("n", cpuMilli: 128_000, gpus: 8), t.cards, t.cpuFree * 1000L);
            var other = NodeState.Empty(Make.Node("m", cpuMilli: 96_000, gpus: 4));
            var pod = Make.Pod(cpuMilli: 1000, gpus: t.milli == 1000 ? t.count : Math.Min(t.count, 1), milli: t.milli);
            var tasks = FragmentationModel.FromPods([pod, Make.Share(460), Make.Pod(cpuMilli: 4000)]);
            var context = new ScoringContext(tasks, ClusterScale.OpenB, new System.Random(t.seed));
            foreach (var name in registry.Names)
            {
                var scorer = registry.Create(name);
                var scores = new int[2];
                scorer.Score(scorer.PreScore(pod, context), [node, other], scores);
                var mapped = new long[2];
                ScoreNormalization.ToExtenderRange(scores, mapped);
                if (scores.Any(s => s is < 0 or > 100) || mapped.Any(m => m is < 0 or > 10))
                {
                    return false;
                }
            }

            return true;
        });
    }
}
