using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Lepton.Extender.Tests.TestSupport;
using Lepton.Kubernetes.Wire;
using Lepton.Scheduling.Scoring;
using Lepton.Testing;

namespace Lepton.Extender.Tests.Verbs;

/// <summary>Properties over random clusters, pods and candidate lists.</summary>
public sealed class ExtenderPropertyTests
{
    [Property(MaxTest = 200, Arbitrary = [typeof(Scenarios)])]
    public bool Filter_AnyScenario_NamesOnlyNodesAskedAbout(Scenario scenario)
    {
        using var harness = scenario.Build(policy: "FGD");
        var result = harness.Extender.Filter(scenario.Args());
        var asked = scenario.Candidates.ToHashSet(StringComparer.Ordinal);

        var answered = (result.NodeNames ?? []).Concat(result.FailedNodes?.Keys ?? []).Concat(result.FailedAndUnresolvableNodes?.Keys ?? []).ToList();
        return answered.All(asked.Contains)
            && asked.All(answered.Contains)
            && (result.NodeNames ?? []).Intersect(result.FailedNodes?.Keys ?? []).Any() == false;
    }

    [Property(MaxTest = 200, Arbitrary = [typeof(Scenarios)])]
    public bool Prioritize_AnyScenarioAndPolicy_ScoresWithinZeroToTen(Scenario scenario, PolicyName policy)
    {
        using var harness = scenario.Build(policy.Name);
        var result = harness.Extender.Prioritize(scenario.Args());

        return result.Count == scenario.Candidates.Length
            && result.Select(r => r.Host).SequenceEqual(scenario.Candidates)
            && result.All(r => r.Score is >= 0 and <= 10);
    }

    public sealed record PolicyName(string Name);

    public sealed record Scenario(int[] NodeCards, int[] Used, string[] Candidates, int Gpus, int Milli, int CpuCores)
    {
        internal ExtenderHarness Build(string policy)
        {
            var harness = new ExtenderHarness(o => o.Policy = policy);
            for (var i = 0; i < NodeCards.Length; i++)
            {
                harness.WithNodes(NodeCards[i] == 0 ? Make.CpuNode("n" + i, cpuMilli: 16_000) : Make.GpuNode("n" + i, cards: NodeCards[i], cpuMilli: 32_000));
                for (var c = 0; c < Math.Min(Used[i], NodeCards[i]); c++)
                {
                    harness.WithBound("n" + i, Make.Demand($"u{i}-{c}", gpus: 1, milli: 250 * (1 + ((i + c) % 4)), cards: [c]));
                }
            }

            return harness;
        }

        public ExtenderArgs Args()
        {
            var pod = Make.PodJson("p").Cpu(CpuCores.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (Gpus > 0)
            {
                pod = Milli < 1000 ? pod.Share(Milli) : pod.Gpus(Gpus);
            }

            return new ExtenderArgs { Pod = pod.ToElement(), NodeNames = [.. Candidates] };
        }
    }

    public static class Scenarios
    {
        public static Arbitrary<PolicyName> Policies() =>
            Gen.Elements(ScorerRegistry.CreateDefault().Names.ToArray()).Select(n => new PolicyName(n)).ToArbitrary();

        public static Arbitrary<Scenario> Scenario() =>
            (from nodes in Gen.Choose(1, 12)
             from cards in Gen.Elements(0, 1, 2, 4, 8).ArrayOf(nodes)
             from used in Gen.Choose(0, 8).ArrayOf(nodes)
             from candidates in Gen.Elements([.. Enumerable.Range(0, nodes + 3).Select(i => "n" + i)]).ArrayOf()
             from gpus in Gen.Choose(0, 8)
             from milli in Gen.Elements(100, 250, 500, 999, 1000)
             from cpu in Gen.Choose(0, 40)
             select new Scenario(cards, used, candidates, gpus, milli, cpu)).ToArbitrary();
    }
}
