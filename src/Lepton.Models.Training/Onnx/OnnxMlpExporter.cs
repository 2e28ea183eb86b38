using Google.Protobuf;
using Lepton.Models.Nn;
using Onnx;

namespace Lepton.Models.Onnx;

/// <summary>
/// Writes an <see cref="Mlp"/> as an ONNX model (opset 17) with OnnxSharp's protobuf types:
/// <c>Sub</c>/<c>Mul</c> for the input standardisation, <c>Gemm</c> + <c>Relu</c> per layer, and
/// <c>MatMul</c> + <c>Add</c> for the skip. Input <c>features</c> [N, F], output <c>score</c> [N, O].
/// Reads such a model back into an <see cref="Mlp"/>.
/// </summary>
public static class OnnxMlpExporter
{
    /// <summary>The ONNX opset the graph uses.</summary>
    public const int Opset = 17;

    private const int FloatType = 1;

    /// <summary>Builds the model.</summary>
    /// <param name="network">The network.</param>
    /// <param name="schema">The schema (names, kind, version) recorded in the metadata.</param>
    /// <param name="metadata">Further metadata (training data, metrics…).</param>
    /// <returns>The model.</returns>
    public static ModelProto Export(Mlp network, ModelSchema schema, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(schema);
        if (network.InputSize != schema.FeatureCount || network.OutputSize != schema.OutputWidth)
        {
            throw new ArgumentException($"The network is [{network.InputSize} → {network.OutputSize}] but the schema wants [{schema.FeatureCount} → {schema.OutputWidth}].", nameof(network));
        }

        var g = new GraphProto { Name = "lepton_" + schema.Kind };
        g.Input.Add(Value(ModelSchema.InputName, network.InputSize));
        g.Output.Add(Value(ModelSchema.OutputName, network.OutputSize));
        g.Initializer.Add(Tensor("mean", network.InputMean, network.InputSize));
        g.Initializer.Add(Tensor("scale", network.InputScale, network.InputSize));
        g.Node.Add(Node("Sub", [ModelSchema.InputName, "mean"], "centred"));
        g.Node.Add(Node("Mul", ["centred", "scale"], "h_in"));
        var current = "h_in";
        var last = network.Layers.Length - 1;
        for (var l = 0; l <= last; l++)
        {
            var layer = network.Layers[l];
            g.Initializer.Add(Tensor($"W{l}", layer.Weights, layer.Inputs, layer.Outputs));
            g.Initializer.Add(Tensor($"b{l}", layer.Bias, layer.Outputs));
            var output = l < last ? $"g{l}" : network.Skip is null ? ModelSchema.OutputName : "mlp_out";
            g.Node.Add(Node("Gemm", [current, $"W{l}", $"b{l}"], output));
            current = output;
            if (l < last)
            {
                g.Node.Add(Node("Relu", [current], $"h{l}"));
                current = $"h{l}";
            }
        }

        if (network.Skip is { } skip)
        {
            g.Initializer.Add(Tensor("skip", skip, skip.Length, 1));
            g.Node.Add(Node("MatMul", [ModelSchema.InputName, "skip"], "skip_out"));
            g.Node.Add(Node("Add", ["mlp_out", "skip_out"], ModelSchema.OutputName));
        }

        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "lepton",
            ProducerVersion = "1",
            Domain = "ai.lepton",
            ModelVersion = 1,
            Graph = g,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        var props = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [BundleMetadata.Kind] = schema.Kind,
            [BundleMetadata.Schema] = schema.Version,
            [BundleMetadata.FeatureNames] = string.Join(',', schema.FeatureNames),
        };
        if (metadata is not null)
        {
            foreach (var (k, v) in metadata)
            {
                props[k] = v;
            }
        }

        foreach (var (k, v) in props.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = k, Value = v });
        }

        return model;
    }

    /// <summary>Writes the model to a file atomically (a temporary file, then a rename).</summary>
    /// <param name="model">The model.</param>
    /// <param name="path">The destination.</param>
    public static void Save(ModelProto model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        File.WriteAllBytes(temp, model.ToByteArray());
        File.Move(temp, full, overwrite: true);
    }

    /// <summary>Reads a model written by <see cref="Export"/> back into a network.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The network.</returns>
    /// <exception cref="InvalidDataException">The graph is not one this exporter writes.</exception>
    public static Mlp Import(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var init = model.Graph?.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal)
            ?? throw new InvalidDataException("The model has no graph.");
        var sizes = new List<int>();
        for (var l = 0; init.ContainsKey($"W{l}"); l++)
        {
            var w = init[$"W{l}"];
            if (w.Dims.Count != 2)
            {
                throw new InvalidDataException($"W{l} is not a matrix.");
            }

            if (l == 0)
            {
                sizes.Add((int)w.Dims[0]);
            }

            sizes.Add((int)w.Dims[1]);
        }

        if (sizes.Count < 2 || !init.ContainsKey("mean") || !init.ContainsKey("scale"))
        {
            throw new InvalidDataException("The graph is not a Lepton MLP (missing W0, mean or scale).");
        }

        var net = new Mlp([.. sizes]);
        for (var l = 0; l < net.Layers.Length; l++)
        {
            Read(init[$"W{l}"], net.Layers[l].Weights);
            Read(init[$"b{l}"], net.Layers[l].Bias);
        }

        Read(init["mean"], net.InputMean);
        Read(init["scale"], net.InputScale);
        if (init.TryGetValue("skip", out var skip))
        {
            net.Skip = new float[net.InputSize];
            Read(skip, net.Skip);
        }

        return net;
    }

    private static void Read(TensorProto t, float[] destination)
    {
        if (t.FloatData.Count != destination.Length)
        {
            throw new InvalidDataException($"Tensor {t.Name} has {t.FloatData.Count} values; expected {destination.Length}.");
        }

        t.FloatData.CopyTo(destination, 0);
    }

    private static NodeProto Node(string op, string[] inputs, string output)
    {
        var n = new NodeProto { OpType = op, Name = op + "_" + output };
        n.Input.AddRange(inputs);
        n.Output.Add(output);
        return n;
    }

    private static TensorProto Tensor(string name, float[] values, params long[] dims)
    {
        var t = new TensorProto { Name = name, DataType = FloatType };
        t.Dims.AddRange(dims);
        t.FloatData.AddRange(values);
        return t;
    }

    private static ValueInfoProto Value(string name, int width)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = FloatType, Shape = shape } },
        };
    }
}
