using System.Numerics.Tensors;

namespace Lepton.Models.Nn;

/// <summary>
/// A small multilayer perceptron over <see cref="TensorPrimitives"/>: fixed input
/// standardisation z = (x − mean)·scale, dense layers with ReLU between them and a linear last
/// layer, plus an optional fixed linear skip from the raw input to the (single) output. Forward
/// passes are allocation-free and deterministic for given weights (up to the machine's vector
/// width); <c>MlpGradients</c> (in Lepton.Models.Training) computes gradients.
/// </summary>
public sealed class Mlp
{
    /// <summary>Creates a network with zero weights.</summary>
    /// <param name="sizes">Layer widths, input first, output last (at least two).</param>
    public Mlp(params int[] sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Length < 2)
        {
            throw new ArgumentException("An MLP needs an input and an output width.", nameof(sizes));
        }

        Layers = new DenseLayer[sizes.Length - 1];
        for (var i = 0; i < Layers.Length; i++)
        {
            Layers[i] = new DenseLayer(sizes[i], sizes[i + 1]);
        }

        InputMean = new float[sizes[0]];
        InputScale = new float[sizes[0]];
        Array.Fill(InputScale, 1f);
    }

    /// <summary>The layers, input side first.</summary>
    public DenseLayer[] Layers { get; }

    /// <summary>Input width.</summary>
    public int InputSize => Layers[0].Inputs;

    /// <summary>Output width.</summary>
    public int OutputSize => Layers[^1].Outputs;

    /// <summary>Subtracted from each input before the first layer (not trained).</summary>
    public float[] InputMean { get; }

    /// <summary>Multiplies each centred input before the first layer (not trained).</summary>
    public float[] InputScale { get; }

    /// <summary>
    /// A fixed linear term of the raw input added to output 0 (not trained), or null: lets a
    /// residual policy start exactly at a heuristic whose score is one of the inputs.
    /// </summary>
    public float[]? Skip { get; set; }

    /// <summary>The widest layer (buffer size for a forward pass).</summary>
    public int MaxWidth
    {
        get
        {
            var w = InputSize;
            foreach (var l in Layers)
            {
                w = Math.Max(w, l.Outputs);
            }

            return w;
        }
    }

    /// <summary>Initialises weights (He-uniform) and zero biases from a seed.</summary>
    /// <param name="seed">The seed.</param>
    /// <param name="lastLayerScale">Scales the last layer's initial weights.</param>
    public void Initialize(int seed, float lastLayerScale = 1f)
    {
        var random = new Random(seed);
        for (var l = 0; l < Layers.Length; l++)
        {
            var layer = Layers[l];
            var bound = MathF.Sqrt(6f / layer.Inputs) * (l == Layers.Length - 1 ? lastLayerScale : 1f);
            for (var i = 0; i < layer.Weights.Length; i++)
            {
                layer.Weights[i] = (float)((random.NextDouble() * 2) - 1) * bound;
            }

            Array.Clear(layer.Bias);
        }
    }

    /// <summary>Runs the network on a row-major [rows, InputSize] batch.</summary>
    /// <param name="inputs">The inputs.</param>
    /// <param name="rows">The row count.</param>
    /// <param name="outputs">Receives [rows, OutputSize] values.</param>
    public void Forward(ReadOnlySpan<float> inputs, int rows, Span<float> outputs)
    {
        var width = MaxWidth;
        Span<float> buffer = width <= 256 ? stackalloc float[width * 2] : new float[width * 2];
        var a = buffer[..width];
        var b = buffer[width..];
        var n = InputSize;
        var o = OutputSize;
        for (var r = 0; r < rows; r++)
        {
            var x = inputs.Slice(r * n, n);
            ForwardRow(x, a, b, outputs.Slice(r * o, o));
        }
    }

    /// <summary>Runs the network on one row.</summary>
    /// <param name="x">The input row.</param>
    /// <param name="output">Receives OutputSize values.</param>
    public void ForwardOne(ReadOnlySpan<float> x, Span<float> output) => Forward(x, 1, output);

    /// <summary>A deep copy.</summary>
    /// <returns>The copy.</returns>
    public Mlp Clone()
    {
        var sizes = new int[Layers.Length + 1];
        sizes[0] = InputSize;
        for (var i = 0; i < Layers.Length; i++)
        {
            sizes[i + 1] = Layers[i].Outputs;
        }

        var c = new Mlp(sizes);
        for (var i = 0; i < Layers.Length; i++)
        {
            Layers[i].Weights.CopyTo(c.Layers[i].Weights, 0);
            Layers[i].Bias.CopyTo(c.Layers[i].Bias, 0);
        }

        InputMean.CopyTo(c.InputMean, 0);
        InputScale.CopyTo(c.InputScale, 0);
        c.Skip = Skip is null ? null : (float[])Skip.Clone();
        return c;
    }

    /// <summary>Forward for one row, keeping every layer's input when <paramref name="trace"/> is given.</summary>
    /// <param name="x">The raw input.</param>
    /// <param name="a">Scratch, MaxWidth long.</param>
    /// <param name="b">Scratch, MaxWidth long.</param>
    /// <param name="output">Receives the output.</param>
    /// <param name="trace">Receives each layer's input activations (concatenated), or empty.</param>
    internal void ForwardRow(ReadOnlySpan<float> x, Span<float> a, Span<float> b, Span<float> output, Span<float> trace = default)
    {
        var n = InputSize;
        var cur = a[..n];
        TensorPrimitives.Subtract(x, InputMean, cur);
        TensorPrimitives.Multiply(cur, InputScale, cur);
        var offset = 0;
        for (var l = 0; l < Layers.Length; l++)
        {
            var layer = Layers[l];
            if (!trace.IsEmpty)
            {
                cur.CopyTo(trace.Slice(offset, layer.Inputs));
                offset += layer.Inputs;
            }

            var next = (l % 2 == 0 ? b : a)[..layer.Outputs];
            layer.Bias.CopyTo(next);
            var w = layer.Weights.AsSpan();
            var outs = layer.Outputs;
            for (var k = 0; k < layer.Inputs; k++)
            {
                var v = cur[k];
                if (v != 0f)
                {
                    TensorPrimitives.MultiplyAdd(w.Slice(k * outs, outs), v, next, next);
                }
            }

            if (l < Layers.Length - 1)
            {
                TensorPrimitives.Max(next, 0f, next);
            }

            cur = next;
        }

        cur.CopyTo(output);
        if (Skip is { } skip)
        {
            output[0] += TensorPrimitives.Dot(x, skip);
        }
    }

    /// <summary>Total width of all layer inputs (the trace length of one row).</summary>
    internal int TraceWidth
    {
        get
        {
            var t = 0;
            foreach (var l in Layers)
            {
                t += l.Inputs;
            }

            return t;
        }
    }
}
