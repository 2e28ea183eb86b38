using Lepton.Models.Nn;

namespace Lepton.Models.Training;

/// <summary>What <see cref="PredictorTrainer"/> produced.</summary>
public sealed class PredictorReport
{
    /// <summary>The trained network (quantiles of ln seconds out).</summary>
    public required Mlp Network { get; init; }

    /// <summary>Pods used for training (finished before the cut).</summary>
    public required int TrainPods { get; init; }

    /// <summary>Pods of the training trace held out (submitted at or after the cut).</summary>
    public required int HeldOutPods { get; init; }

    /// <summary>The time cut, in trace seconds: training pods finished before it, evaluated pods were submitted at or after it.</summary>
    public required long CutSeconds { get; init; }

    /// <summary>The training trace's evaluation first, then every further trace with times.</summary>
    public required IReadOnlyList<PredictorEvaluation> Evaluations { get; init; }

    /// <summary>The learned model on the training trace's held-out pods.</summary>
    public PredictorMetrics Model => Evaluations[0].Model;

    /// <summary>The class-median baseline on the training trace's held-out pods.</summary>
    public PredictorMetrics Baseline => Evaluations[0].Baseline;

    /// <summary>A description of the training data for the bundle's metadata.</summary>
    public required string TrainingData { get; init; }
}
