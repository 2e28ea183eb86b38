using Lepton.Models.Nn;
using Lepton.Models.Onnx;

namespace Lepton.Models.Inference;

/// <summary>
/// Runs an <see cref="Mlp"/> in managed code: the trainer's and the simulator's fast path. The
/// same network exported to ONNX gives the same scores within 1e-4.
/// </summary>
public sealed class MlpScoringModel : IScoringModel
{
    private readonly Mlp _network;

    /// <summary>Creates the model.</summary>
    /// <param name="network">The network (not copied; do not change it while scoring).</param>
    /// <param name="schema">The schema; the policy schema when null.</param>
    public MlpScoringModel(Mlp network, ModelSchema? schema = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        _network = network;
        Schema = schema ?? ModelSchema.Policy;
        if (network.InputSize != Schema.FeatureCount || network.OutputSize != Schema.OutputWidth)
        {
            throw new ArgumentException($"The network is [{network.InputSize} → {network.OutputSize}] but the schema wants [{Schema.FeatureCount} → {Schema.OutputWidth}].", nameof(network));
        }
    }

    /// <inheritdoc />
    public ModelSchema Schema { get; }

    /// <inheritdoc />
    public string Provider => "managed";

    /// <inheritdoc />
    public FallbackReason Run(float[] features, int rows, float[] scores)
    {
        _network.Forward(features.AsSpan(0, rows * _network.InputSize), rows, scores.AsSpan(0, rows * _network.OutputSize));
        return FallbackReason.None;
    }
}
