using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Inventory;

namespace Lepton.Scheduling.Fragmentation;

/// <summary>
/// The typical-task mix FGD uses while the cluster has too few recent pods of its own
/// (DECISIONS.md 13): the most frequent (CPU, milli-GPU per card, cards) classes of the openb
/// default trace (<c>openb_pod_list_default.csv</c>, 8,152 pods) that together hold 89.8% of its
/// pods, plus its multi-GPU classes (2, 4 and 8 GPUs) so that whole-node tasks stay in the mix.
/// Model constraints are left out (a live cluster's model names differ from the trace's). The
/// counts are the trace's own; the weights are their share of the listed pods.
/// </summary>
public static class BuiltInTypicalMix
{
    /// <summary>The classes: CPU milli-cores, milli-GPU per card, cards, pods of that class in the trace.</summary>
    public static IReadOnlyList<(long CpuMilli, int GpuMilli, int GpuCount, int Pods)> Classes { get; } =
    [
        (3152, 810, 1, 1047),
        (11300, 1000, 1, 874),
        (11400, 1000, 1, 599),
        (3152, 1000, 1, 470),
        (11908, 470, 1, 388),
        (12500, 0, 0, 366),
        (8000, 470, 1, 360),
        (12000, 1000, 1, 326),
        (32000, 0, 0, 290),
        (18708, 1000, 1, 255),
        (11908, 650, 1, 237),
        (4000, 320, 1, 232),
        (9810, 1000, 1, 195),
        (8000, 0, 0, 185),
        (8000, 1000, 1, 164),
        (4000, 1000, 1, 159),
        (15700, 1000, 1, 158),
        (11908, 1000, 1, 153),
        (16000, 1000, 1, 150),
        (4000, 230, 1, 122),
        (6000, 460, 1, 120),
        (15400, 0, 0, 120),
        (16500, 0, 0, 95),
        (14200, 1000, 1, 93),
        (24200, 1000, 1, 84),
        (3152, 590, 1, 75),
        (88000, 1000, 8, 18),
        (16000, 1000, 2, 8),
        (32000, 1000, 4, 8),
    ];

    /// <summary>The classes as pods (one per trace pod), for <see cref="FragmentationModel.FromPods"/>.</summary>
    /// <returns>The pods.</returns>
    public static IEnumerable<PodDemand> Pods()
    {
        var n = 0;
        foreach (var (cpu, milli, count, pods) in Classes)
        {
            for (var i = 0; i < pods; i++)
            {
                var id = n++;
                yield return new PodDemand
                {
                    Uid = "builtin-mix-" + id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Name = "builtin-mix",
                    CpuMilli = cpu,
                    GpuMilli = milli,
                    GpuCount = count,
                };
            }
        }
    }

    /// <summary>Builds the fragmentation model of the mix (every class kept).</summary>
    /// <returns>A new model.</returns>
    public static FragmentationModel CreateModel() => FragmentationModel.FromPods(Pods(), coverage: 1.0);
}
