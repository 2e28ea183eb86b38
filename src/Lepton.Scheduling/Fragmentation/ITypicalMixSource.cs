namespace Lepton.Scheduling.Fragmentation;

/// <summary>
/// Where the FGD typical-task mix comes from (DECISIONS.md 13): the live cluster's recent pods
/// (<see cref="TypicalMixProvider"/>) in <c>lepton serve</c>, or a workload's fixed mix in the
/// simulator (<see cref="FixedTypicalMix"/>).
/// </summary>
public interface ITypicalMixSource
{
    /// <summary>The model to score with now.</summary>
    FragmentationModel Current { get; }
}

/// <summary>A mix that never changes (a simulated workload's, or a test's).</summary>
/// <param name="model">The model.</param>
public sealed class FixedTypicalMix(FragmentationModel model) : ITypicalMixSource
{
    /// <inheritdoc />
    public FragmentationModel Current { get; } = model ?? throw new ArgumentNullException(nameof(model));
}
