namespace Lepton.Models.Training;

/// <summary>Options of <see cref="PredictorTrainer"/>.</summary>
public sealed class PredictorTrainingOptions
{
    /// <summary>The openb trace directory.</summary>
    public required string TracesDirectory { get; init; }

    /// <summary>The trace with lifetimes (creation and deletion times).</summary>
    public string Trace { get; init; } = "default";

    /// <summary>The seed (split, initialisation, batches).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Fraction of pods held out for evaluation.</summary>
    public double HeldOutFraction { get; init; } = 0.2;

    /// <summary>Training epochs.</summary>
    public int Epochs { get; init; } = 60;

    /// <summary>Hidden layer widths.</summary>
    public int[] Hidden { get; init; } = [32, 16];
}
