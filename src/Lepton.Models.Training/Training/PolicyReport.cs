using Lepton.Models.Nn;

namespace Lepton.Models.Training;

/// <summary>What <see cref="PolicyTrainer"/> produced.</summary>
public sealed class PolicyReport
{
    /// <summary>The policy network (skip on FGD's score plus a learned residual).</summary>
    public required Mlp Network { get; init; }

    /// <summary>Imitation groups (scoring calls) recorded.</summary>
    public required int ImitationGroups { get; init; }

    /// <summary>Share of held-out imitation calls where the imitation network's top node has FGD's top score.</summary>
    public required double ImitationAgreement { get; init; }

    /// <summary>The residual head's parameters, by name.</summary>
    public required IReadOnlyDictionary<string, double> Head { get; init; }

    /// <summary>Mean (FGD − policy) unallocated GPU points on the search's seeds (positive: better than FGD).</summary>
    public required double SearchGain { get; init; }

    /// <summary>The same on the validation seeds.</summary>
    public required double ValidationGain { get; init; }

    /// <summary>Whether the searched head was kept (it beat FGD on the validation seeds); else the head is FGD's.</summary>
    public required bool SearchKept { get; init; }

    /// <summary>A description of the training data for the bundle's metadata.</summary>
    public required string TrainingData { get; init; }
}
