using System.Collections.Immutable;

namespace Lepton.Scheduling.Fragmentation;

/// <summary>
/// One kind of task in the typical-task mix of the fragmentation measure: a (CPU, milli-GPU per
/// card, card count, allowed models) class and the probability that an arriving task is of it.
/// </summary>
/// <param name="CpuMilli">CPU request in milli-cores.</param>
/// <param name="GpuMilli">Milli-GPU per card (0 for CPU-only tasks, 1000 for whole cards).</param>
/// <param name="GpuCount">Cards needed.</param>
/// <param name="GpuModels">Allowed GPU models (normalised); empty for any.</param>
/// <param name="Count">How many observed pods fell in this class.</param>
/// <param name="Probability">The weight p_t of the class in the expected fragmentation.</param>
public sealed record TypicalTask(long CpuMilli, int GpuMilli, int GpuCount, ImmutableArray<string> GpuModels, int Count, double Probability)
{
    /// <summary>The models as one <c>|</c>-joined string (the class key's model part).</summary>
    public string ModelKey => GpuModels.IsDefaultOrEmpty ? string.Empty : string.Join('|', GpuModels);
}
