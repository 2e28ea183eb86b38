using System.Globalization;
using Lepton.Scheduling.Inventory;

namespace Lepton.Scheduling.Prediction;

/// <summary>
/// The exact request shape of a pod (GPU count and share, CPU, memory, GPU model constraint), the key under which
/// "recent lifetimes of similar pods" are kept. Two pods with equal shapes asked for exactly the same thing.
/// </summary>
public static class JobShape
{
    /// <summary>The shape key of <paramref name="pod"/>.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>A stable, culture-invariant key.</returns>
    public static string Of(PodDemand pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var models = pod.GpuModels.IsDefaultOrEmpty ? "" : string.Join('|', pod.GpuModels.Order(StringComparer.Ordinal));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"g{pod.GpuCount}x{pod.GpuMilli}/c{pod.CpuMilli}/m{pod.MemoryBytes}/{models}");
    }
}
