namespace Lepton.Models.Nn;

/// <summary>
/// A fully connected layer y = x·W + b with W stored row-major as [inputs, outputs] (row k holds
/// input k's weights to every output), the layout of ONNX <c>Gemm</c> with <c>transB = 0</c>.
/// </summary>
public sealed class DenseLayer
{
    /// <summary>Creates a zero layer.</summary>
    /// <param name="inputs">Input width.</param>
    /// <param name="outputs">Output width.</param>
    public DenseLayer(int inputs, int outputs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
        Inputs = inputs;
        Outputs = outputs;
        Weights = new float[inputs * outputs];
        Bias = new float[outputs];
    }

    /// <summary>Input width.</summary>
    public int Inputs { get; }

    /// <summary>Output width.</summary>
    public int Outputs { get; }

    /// <summary>Weights, [inputs, outputs] row-major.</summary>
    public float[] Weights { get; }

    /// <summary>Biases, one per output.</summary>
    public float[] Bias { get; }

    /// <summary>A deep copy.</summary>
    /// <returns>The copy.</returns>
    public DenseLayer Clone()
    {
        var c = new DenseLayer(Inputs, Outputs);
        Weights.CopyTo(c.Weights, 0);
        Bias.CopyTo(c.Bias, 0);
        return c;
    }
}
