namespace Lepton.Models.Onnx;

/// <summary>The <c>metadata_props</c> keys of a Lepton model bundle.</summary>
public static class BundleMetadata
{
    /// <summary>The bundle kind (<c>policy</c>, <c>predictor</c>).</summary>
    public const string Kind = "lepton.kind";

    /// <summary>The feature schema version, e.g. <c>lepton.features/v1</c>.</summary>
    public const string Schema = "lepton.schema";

    /// <summary>Comma-separated feature names in column order.</summary>
    public const string FeatureNames = "lepton.feature_names";

    /// <summary>What the model was trained on (traces, seeds, samples).</summary>
    public const string TrainingData = "lepton.training_data";

    /// <summary>Evaluation metrics, one <c>name=value</c> per line.</summary>
    public const string Metrics = "lepton.metrics";

    /// <summary>How the output is meant to be read.</summary>
    public const string Output = "lepton.output";

    /// <summary>
    /// For a predictor trained on a trace: the time cut in trace seconds. It trained only on pods finished before this
    /// second, so only pods submitted at or after it are out of sample.
    /// </summary>
    public const string TrainingCut = "lepton.training_cut_seconds";
}
