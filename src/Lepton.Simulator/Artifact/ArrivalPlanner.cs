using Lepton.Scheduling.Inventory;
using Lepton.Simulator.Workloads;

namespace Lepton.Simulator.Artifact;

/// <summary>
/// Builds a seed's arrivals exactly as the FGD artifact does (<c>traces/openb/METHOD.md</c>
/// section 5): name-sorted pods, one discarded draw, a shuffle, the tune-up to
/// <see cref="DefaultTuneRatio"/> of the cluster's GPUs with its quirks, and the random node
/// priority. .NET's <see cref="Random"/> stands in for Go's <c>math/rand</c>, so single seeds
/// differ from the artifact's and only the statistics over seeds compare.
/// </summary>
public static class ArrivalPlanner
{
    /// <summary>The artifact's tune ratio: pods are cloned until demand reaches 130% of the GPUs.</summary>
    public const double DefaultTuneRatio = 1.3;

    /// <summary>Builds the plan for one seed.</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="tuneRatio">The tune-up target as a fraction of GPU capacity.</param>
    /// <returns>The plan.</returns>
    public static ArrivalPlan Build(Workload workload, int seed, double tuneRatio = DefaultTuneRatio)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var random = new Random(seed);
        var capacity = workload.GpuCapacityMilli;
        var pods = new List<PodDemand>(workload.Pods.Count * 3 / 2);
        var originals = 0;
        long demand = 0;

        if (workload.Source == WorkloadSource.ClusterState)
        {
            // A real cluster's pending pods arrive once each, oldest first.
            foreach (var p in workload.Pods)
            {
                pods.Add(p.Pod);
                demand += p.Pod.TotalGpuMilli;
            }

            originals = pods.Count;
        }
        else
        {
            // 1. workload pods sorted by name; 2. rand.Seed then one rand.Int() (a Debugf argument).
            var sorted = new PodDemand[workload.Pods.Count];
            for (var i = 0; i < sorted.Length; i++)
            {
                sorted[i] = workload.Pods[i].Pod;
            }

            Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            _ = random.Next();

            // 3. sort by name, then shuffle.
            var shuffled = (PodDemand[])sorted.Clone();
            random.Shuffle(shuffled);
            pods.AddRange(shuffled);
            originals = pods.Count;
            foreach (var p in shuffled)
            {
                demand += p.TotalGpuMilli;
            }

            // 5. tune-up: clones drawn with replacement from the name-sorted list and appended;
            // the stop rule adds the clone's per-GPU milli, not its total (the artifact's bug).
            var limit = tuneRatio * capacity;
            if (sorted.Length > 0)
            {
                for (var k = 0; ; k++)
                {
                    var source = sorted[random.Next(sorted.Length)];
                    if (demand + source.GpuMilli > limit)
                    {
                        break;
                    }

                    demand += source.TotalGpuMilli;
                    pods.Add(Clone(source, k));
                }
            }
        }

        // 6. node priority: nodes sorted by name, node i gets priority perm[i].
        var byName = workload.Nodes.ToArray();
        Array.Sort(byName, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        var perm = Permutation(byName.Length, random);
        var byPriority = new NodeInventory[byName.Length];
        for (var i = 0; i < byName.Length; i++)
        {
            byPriority[perm[i]] = byName[i];
        }

        return new ArrivalPlan
        {
            Seed = seed,
            Pods = pods,
            OriginalCount = originals,
            NodesByPriority = byPriority,
            GpuCapacityMilli = capacity,
            GpuDemandMilli = demand,
            Random = random,
        };
    }

    /// <summary>A uniformly random permutation of 0..n−1 (Go's <c>rand.Perm</c> shape: inside-out Fisher-Yates).</summary>
    /// <param name="n">The length.</param>
    /// <param name="random">The random source.</param>
    /// <returns>The permutation.</returns>
    internal static int[] Permutation(int n, Random random)
    {
        var m = new int[n];
        for (var i = 0; i < n; i++)
        {
            var j = random.Next(i + 1);
            m[i] = m[j];
            m[j] = i;
        }

        return m;
    }

    private static PodDemand Clone(PodDemand source, int k)
    {
        var suffix = "-clone-" + k.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return source with { Uid = source.Uid + suffix, Name = source.Name + suffix };
    }
}
