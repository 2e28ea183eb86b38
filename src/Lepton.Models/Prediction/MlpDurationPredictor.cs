using Lepton.Models.Features;
using Lepton.Models.Nn;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Prediction;

namespace Lepton.Models.Prediction;

/// <summary>
/// A duration predictor that runs a <c>lepton.predictor-features/v2</c> network in process (the managed forward pass,
/// no ONNX Runtime): the trainer evaluates through it, and a simulator may use it where per-call ONNX Runtime overhead
/// matters. <see cref="OnnxDurationPredictor"/> serves the same bundle through ONNX Runtime. Thread-safe.
/// </summary>
public sealed class MlpDurationPredictor : IDurationPredictor
{
    private readonly Mlp _network;

    /// <summary>Creates the predictor.</summary>
    /// <param name="network">The network: <see cref="PredictorFeatures.Count"/> inputs, <see cref="PredictorQuantiles.Count"/> outputs. Not modified afterwards.</param>
    /// <param name="version">The version recorded with its predictions.</param>
    /// <exception cref="ArgumentException">The network's shape is not the predictor's.</exception>
    public MlpDurationPredictor(Mlp network, string version)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(version);
        if (network.InputSize != PredictorFeatures.Count || network.OutputSize != PredictorQuantiles.Count)
        {
            throw new ArgumentException($"The network is [{network.InputSize} → {network.OutputSize}]; a predictor is [{PredictorFeatures.Count} → {PredictorQuantiles.Count}].", nameof(network));
        }

        _network = network;
        Version = version;
    }

    /// <inheritdoc />
    public string Version { get; }

    /// <inheritdoc />
    public bool TryPredict(PodDemand pod, DateTimeOffset submittedAt, JobHistory history, out DurationPrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(history);
        Span<float> row = stackalloc float[PredictorFeatures.Count];
        Span<float> output = stackalloc float[PredictorQuantiles.Count];
        PredictorFeatures.Write(pod, submittedAt, history, row);
        _network.ForwardOne(row, output);
        return PredictionOutput.TryRead(output, Version, out prediction);
    }
}
