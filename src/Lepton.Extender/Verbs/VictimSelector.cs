using System.Numerics;
using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.State;

namespace Lepton.Extender.Verbs;

/// <summary>
/// Chooses, among the victims kube-scheduler's dry run offered on one node, the set whose
/// eviction makes the preemptor fit card by card: the lowest highest-priority first, then the
/// fewest victims, then the lowest summed priority. Exact for up to <see cref="ExhaustiveLimit"/>
/// victims; beyond, greedy by priority with a reprieve pass (as kube-scheduler's own dry run).
/// </summary>
public static class VictimSelector
{
    /// <summary>The most offered victims searched exhaustively.</summary>
    public const int ExhaustiveLimit = 10;

    /// <summary>Selects victims.</summary>
    /// <param name="pod">The preemptor.</param>
    /// <param name="node">The node's current state.</param>
    /// <param name="offered">The offered victims Lepton accounts on this node.</param>
    /// <returns>
    /// The victims to evict (a subset of <paramref name="offered"/>); empty when the pod already
    /// fits without any; null when even all of them do not make room.
    /// </returns>
    public static IReadOnlyList<PlacedPod>? Select(PodDemand pod, NodeState node, IReadOnlyList<PlacedPod> offered)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(offered);
        if (FitChecker.Check(pod, node) == FitCode.Fits)
        {
            return [];
        }

        var ordered = offered
            .OrderBy(p => p.Pod.Priority)
            .ThenBy(p => p.Pod.Uid, StringComparer.Ordinal)
            .ToArray();
        if (ordered.Length == 0 || !FitsWithout(pod, node, ordered, uint.MaxValue))
        {
            return null;
        }

        return ordered.Length <= ExhaustiveLimit ? Exhaustive(pod, node, ordered) : Greedy(pod, node, ordered);
    }

    private static PlacedPod[] Exhaustive(PodDemand pod, NodeState node, PlacedPod[] ordered)
    {
        var n = ordered.Length;
        var full = (1u << n) - 1;
        var best = full;
        var bestKey = Key(ordered, full);
        for (var mask = 1u; mask < full; mask++)
        {
            var key = Key(ordered, mask);
            if (key.CompareTo(bestKey) < 0 && FitsWithout(pod, node, ordered, mask))
            {
                best = mask;
                bestKey = key;
            }
        }

        return Pick(ordered, best);
    }

    private static List<PlacedPod> Greedy(PodDemand pod, NodeState node, PlacedPod[] ordered)
    {
        var chosen = new List<PlacedPod>();
        var state = node;
        foreach (var victim in ordered)
        {
            chosen.Add(victim);
            state = Without(state, victim);
            if (FitChecker.Check(pod, state) == FitCode.Fits)
            {
                break;
            }
        }

        // Reprieve: give back the highest-priority victims that are not needed.
        for (var i = chosen.Count - 1; i >= 0 && chosen.Count > 1; i--)
        {
            var trial = node;
            for (var j = 0; j < chosen.Count; j++)
            {
                if (j != i)
                {
                    trial = Without(trial, chosen[j]);
                }
            }

            if (FitChecker.Check(pod, trial) == FitCode.Fits)
            {
                chosen.RemoveAt(i);
            }
        }

        return chosen;
    }

    private static (int MaxPriority, int Count, long SumPriority, uint Order) Key(PlacedPod[] ordered, uint mask)
    {
        var max = int.MinValue;
        long sum = 0;
        for (var i = 0; i < ordered.Length; i++)
        {
            if ((mask & (1u << i)) != 0)
            {
                max = Math.Max(max, ordered[i].Pod.Priority);
                sum += ordered[i].Pod.Priority;
            }
        }

        // Among equal keys prefer victims earlier in priority order: a reversed mask compares so.
        return (max, BitOperations.PopCount(mask), sum, ReverseBits(mask, ordered.Length));
    }

    private static uint ReverseBits(uint mask, int width)
    {
        uint r = 0;
        for (var i = 0; i < width; i++)
        {
            if ((mask & (1u << i)) != 0)
            {
                r |= 1u << (width - 1 - i);
            }
        }

        return ~r;
    }

    private static bool FitsWithout(PodDemand pod, NodeState node, PlacedPod[] ordered, uint mask)
    {
        var state = node;
        for (var i = 0; i < ordered.Length; i++)
        {
            if ((mask & (1u << i)) != 0)
            {
                state = Without(state, ordered[i]);
            }
        }

        return FitChecker.Check(pod, state) == FitCode.Fits;
    }

    private static NodeState Without(NodeState state, PlacedPod victim) =>
        state.WithoutPod(victim.Pod, victim.Cards.IsDefault ? [] : victim.Cards.AsSpan(), state.Version);

    private static PlacedPod[] Pick(PlacedPod[] ordered, uint mask)
    {
        var result = new List<PlacedPod>();
        for (var i = 0; i < ordered.Length; i++)
        {
            if ((mask & (1u << i)) != 0)
            {
                result.Add(ordered[i]);
            }
        }

        return [.. result];
    }
}
