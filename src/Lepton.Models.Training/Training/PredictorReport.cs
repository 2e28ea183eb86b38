using Lepton.Models.Nn;

namespace Lepton.Models.Training;

/// <summary>What <see cref="PredictorTrainer"/> produced.</summary>
public sealed class PredictorReport
{
    /// <summary>The trained network (ln seconds out).</summary>
    public required Mlp Network { get; init; }

    /// <summary>Pods used for training.</summary>
    public required int TrainPods { get; init; }

    /// <summary>Pods held out.</summary>
    public required int HeldOutPods { get; init; }

    /// <summary>The model on held-out pods.</summary>
    public required RegressionMetrics Model { get; init; }

    /// <summary>The class-median baseline on held-out pods.</summary>
    public required RegressionMetrics Baseline { get; init; }

    /// <summary>A description of the training data for the bundle's metadata.</summary>
    public required string TrainingData { get; init; }
}
