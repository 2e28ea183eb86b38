using System.Numerics.Tensors;

namespace Lepton.Models.Nn;

/// <summary>
/// Backpropagation for <see cref="Mlp"/>: accumulates the gradient of a loss with respect to
/// every layer's weights and biases over a batch of rows (the input standardisation and the skip
/// are fixed and get none).
/// </summary>
public sealed class MlpGradients
{
    private readonly Mlp _network;
    private readonly float[] _a;
    private readonly float[] _b;
    private readonly float[] _trace;
    private readonly float[] _gradOut;
    private readonly float[] _gradIn;

    /// <summary>Creates zero gradients for a network.</summary>
    /// <param name="network">The network.</param>
    public MlpGradients(Mlp network)
    {
        ArgumentNullException.ThrowIfNull(network);
        _network = network;
        Weights = [.. network.Layers.Select(l => new float[l.Weights.Length])];
        Bias = [.. network.Layers.Select(l => new float[l.Bias.Length])];
        _a = new float[network.MaxWidth];
        _b = new float[network.MaxWidth];
        _trace = new float[network.TraceWidth];
        _gradOut = new float[network.MaxWidth];
        _gradIn = new float[network.MaxWidth];
    }

    /// <summary>Weight gradients, one array per layer.</summary>
    public float[][] Weights { get; }

    /// <summary>Bias gradients, one array per layer.</summary>
    public float[][] Bias { get; }

    /// <summary>The network's parameter arrays in the order of <see cref="All"/> (for <see cref="Adam"/>).</summary>
    /// <param name="network">The network.</param>
    /// <returns>Weights and biases, layer by layer.</returns>
    public static IReadOnlyList<float[]> ParametersOf(Mlp network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return [.. network.Layers.SelectMany(l => new[] { l.Weights, l.Bias })];
    }

    /// <summary>Gradient arrays in the order of <see cref="ParametersOf"/>.</summary>
    public IReadOnlyList<float[]> All => [.. Weights.Zip(Bias).SelectMany(p => new[] { p.First, p.Second })];

    /// <summary>Sets every gradient to zero.</summary>
    public void Clear()
    {
        foreach (var w in Weights)
        {
            Array.Clear(w);
        }

        foreach (var b in Bias)
        {
            Array.Clear(b);
        }
    }

    /// <summary>Multiplies every gradient by a factor (e.g. 1 / batch size).</summary>
    /// <param name="factor">The factor.</param>
    public void Scale(float factor)
    {
        foreach (var w in Weights)
        {
            TensorPrimitives.Multiply(w, factor, w);
        }

        foreach (var b in Bias)
        {
            TensorPrimitives.Multiply(b, factor, b);
        }
    }

    /// <summary>Runs one row forward, keeping what backpropagation needs.</summary>
    /// <param name="x">The raw input row.</param>
    /// <param name="output">Receives the output.</param>
    public void Forward(ReadOnlySpan<float> x, Span<float> output) => _network.ForwardRow(x, _a, _b, output, _trace);

    /// <summary>
    /// Accumulates the gradient for the row last passed to <see cref="Forward"/>, given
    /// dLoss/dOutput for that row.
    /// </summary>
    /// <param name="x">The same raw input row (its forward pass is recomputed).</param>
    /// <param name="outputGradient">dLoss/dOutput, OutputSize long.</param>
    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> outputGradient)
    {
        var net = _network;
        Span<float> scratch = stackalloc float[net.OutputSize];
        net.ForwardRow(x, _a, _b, scratch, _trace);
        var layers = net.Layers;
        var gOut = _gradOut.AsSpan(0, net.OutputSize);
        outputGradient.CopyTo(gOut);
        var offset = _trace.Length;
        for (var l = layers.Length - 1; l >= 0; l--)
        {
            var layer = layers[l];
            offset -= layer.Inputs;
            var input = _trace.AsSpan(offset, layer.Inputs);
            var outs = layer.Outputs;
            var g = _gradOut.AsSpan(0, outs);
            var dw = Weights[l].AsSpan();
            TensorPrimitives.Add(Bias[l], g, Bias[l]);
            var gIn = _gradIn.AsSpan(0, layer.Inputs);
            var w = layer.Weights.AsSpan();
            for (var k = 0; k < layer.Inputs; k++)
            {
                var row = dw.Slice(k * outs, outs);
                var v = input[k];
                if (v != 0f)
                {
                    TensorPrimitives.MultiplyAdd(g, v, row, row);
                }

                // ReLU below this layer (every layer but the first sees a ReLU output as input).
                gIn[k] = l > 0 && v <= 0f ? 0f : TensorPrimitives.Dot(w.Slice(k * outs, outs), g);
            }

            gIn.CopyTo(_gradOut.AsSpan(0, layer.Inputs));
        }
    }
}
