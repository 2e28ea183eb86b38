namespace Lepton.Models.Training;

/// <summary>Options of <see cref="PredictorTrainer"/>.</summary>
public sealed class PredictorTrainingOptions
{
    /// <summary>The openb trace directory.</summary>
    public required string TracesDirectory { get; init; }

    /// <summary>The trace the model trains on (creation and deletion times needed).</summary>
    public string Trace { get; init; } = "default";

    /// <summary>
    /// Further traces evaluated with the same time cut (lists without times are skipped). The openb variants are sampled
    /// from the default list, so only their pods submitted after the cut are out of sample.
    /// </summary>
    public IReadOnlyList<string> EvaluationTraces { get; init; } = [.. OpenbTraces.All.Where(t => t != "default")];

    /// <summary>The seed (initialisation, batches).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The latest fraction of submissions held out: the cut is the submission time of the first of them.</summary>
    public double TestFraction { get; init; } = 0.5;

    /// <summary>Training epochs.</summary>
    public int Epochs { get; init; } = 60;

    /// <summary>
    /// Hidden layer widths; none (the default) is a linear quantile regression, which ranked held-out pods as well as
    /// or better than [8] and [32, 16] on openb (larger networks overfit the long training period; docs/MODELS.md).
    /// </summary>
    public int[] Hidden { get; init; } = [];

    /// <summary>
    /// Arrival compression factors the training trace is also evaluated at (submission times divided by the factor, run
    /// times unchanged, the same pods held out): the loaded timeline compresses arrivals, so fewer jobs have finished at
    /// each submission and clock-based features see a faster clock. The model is not retrained for them.
    /// </summary>
    public IReadOnlyList<double> ArrivalCompressions { get; init; } = [10, 100];

    /// <summary>Also train a model that sees only the pod's own fields and the time (no history), to show what history adds.</summary>
    public bool CompareRequestOnly { get; init; } = true;
}
