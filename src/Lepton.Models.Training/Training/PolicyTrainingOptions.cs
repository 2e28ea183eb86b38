namespace Lepton.Models.Training;

/// <summary>Options of <see cref="PolicyTrainer"/>.</summary>
public sealed class PolicyTrainingOptions
{
    /// <summary>The openb trace directory.</summary>
    public required string TracesDirectory { get; init; }

    /// <summary>The traces trained on.</summary>
    public IReadOnlyList<string> Traces { get; init; } = OpenbTraces.Training;

    /// <summary>The seed of everything random in training (simulation seeds are separate, ≥ 1000).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>First simulation seed used for training (imitation data and the search).</summary>
    public int FirstTrainingSeed { get; init; } = 1000;

    /// <summary>FGD runs per trace recorded for imitation.</summary>
    public int ImitationSeeds { get; init; } = 1;

    /// <summary>Record every k-th scoring call.</summary>
    public int ImitationEvery { get; init; } = 4;

    /// <summary>Candidates kept per recorded call (the chosen one and a sample of the rest).</summary>
    public int ImitationCandidates { get; init; } = 32;

    /// <summary>Imitation epochs.</summary>
    public int ImitationEpochs { get; init; } = 6;

    /// <summary>Hidden widths of the policy network.</summary>
    public int[] Hidden { get; init; } = [16, 8];

    /// <summary>Cross-entropy-method iterations (0: ship the imitation-initialised residual policy, which equals FGD).</summary>
    public int CemIterations { get; init; } = 4;

    /// <summary>Candidates per iteration.</summary>
    public int CemPopulation { get; init; } = 8;

    /// <summary>Elite candidates per iteration.</summary>
    public int CemElite { get; init; } = 2;

    /// <summary>Simulation seeds per trace for each candidate.</summary>
    public int CemSeeds { get; init; } = 2;

    /// <summary>The traces the search runs on (a subset of <see cref="Traces"/> to bound time).</summary>
    public IReadOnlyList<string> CemTraces { get; init; } = ["default", "gpushare40"];

    /// <summary>Validation seeds per trace (after the search's seeds) that must confirm an improvement.</summary>
    public int ValidationSeeds { get; init; } = 4;

    /// <summary>Parallel simulations.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;
}
