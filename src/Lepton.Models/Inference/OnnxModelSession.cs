using System.Globalization;
using Lepton.Models.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace Lepton.Models.Inference;

/// <summary>
/// One ONNX Runtime session over one model bundle, checked against a <see cref="ModelSchema"/>
/// when it is created: input and output names and shapes, kind, schema version and feature
/// names. Thread-safe: concurrent <see cref="Run"/> calls share the session.
/// </summary>
public sealed class OnnxModelSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames = [ModelSchema.InputName];
    private readonly string[] _outputNames = [ModelSchema.OutputName];
    private readonly int _features;
    private readonly int _outputs;

    private OnnxModelSession(InferenceSession session, ModelSchema schema, string provider, IReadOnlyDictionary<string, string> metadata)
    {
        _session = session;
        Schema = schema;
        Provider = provider;
        Metadata = metadata;
        _features = schema.FeatureCount;
        _outputs = schema.OutputWidth;
    }

    /// <summary>The schema the model was checked against.</summary>
    public ModelSchema Schema { get; }

    /// <summary>The execution provider running the session: <c>cpu</c> or <c>cuda</c>.</summary>
    public string Provider { get; }

    /// <summary>The bundle's <c>metadata_props</c>.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>When <see cref="ExecutionProviderOption.Auto"/> fell back to the CPU: why CUDA did not load; else null.</summary>
    public string? CudaUnavailableReason { get; private init; }

    /// <summary>Creates a session from model bytes.</summary>
    /// <param name="model">The ONNX bytes.</param>
    /// <param name="schema">What the model must look like.</param>
    /// <param name="provider">The execution provider option.</param>
    /// <param name="intraOpThreads">ONNX Runtime intra-op threads (0 = its default).</param>
    /// <returns>The session.</returns>
    /// <exception cref="ModelLoadException">The bytes are not a usable model (<see cref="ModelLoadException.Reason"/> says why).</exception>
    public static OnnxModelSession Create(byte[] model, ModelSchema schema, ExecutionProviderOption provider = ExecutionProviderOption.Auto, int intraOpThreads = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(schema);
        string? cudaError = null;
        InferenceSession? session = null;
        var used = "cpu";
        QuietNativeLogging();
        if (provider != ExecutionProviderOption.Cpu)
        {
            using var cudaOptions = Options(intraOpThreads);
            try
            {
                cudaOptions.AppendExecutionProvider_CUDA(0);
            }
            catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                cudaError = e.Message.Split('\n')[0];
            }

            if (cudaError is null)
            {
                try
                {
                    session = new InferenceSession(model, cudaOptions);
                    used = "cuda";
                }
                catch (OnnxRuntimeException e)
                {
                    // A model that cannot load fails again on the CPU below and is reported there.
                    cudaError = e.Message.Split('\n')[0];
                }
            }

            if (session is null && provider == ExecutionProviderOption.Cuda)
            {
                throw new ModelLoadException(FallbackReason.LoadError, $"The CUDA execution provider is unavailable: {cudaError}");
            }
        }

        if (session is null)
        {
            try
            {
                using var cpuOptions = Options(intraOpThreads);
                session = new InferenceSession(model, cpuOptions);
            }
            catch (OnnxRuntimeException e)
            {
                throw new ModelLoadException(FallbackReason.LoadError, $"ONNX Runtime cannot load the model: {e.Message.Split('\n')[0]}", e);
            }
        }

        try
        {
            var metadata = Validate(session, schema);
            return new OnnxModelSession(session, schema, used, metadata) { CudaUnavailableReason = cudaError };
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Runs the model on a row-major [rows, features] batch (one ONNX Runtime call).</summary>
    /// <param name="features">At least rows × features floats.</param>
    /// <param name="rows">The row count.</param>
    /// <param name="scores">Receives rows × outputs floats.</param>
    public void Run(float[] features, int rows, float[] scores)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(scores);
        if (rows == 0)
        {
            return;
        }

        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, features.AsMemory(0, rows * _features), [rows, _features]);
        using var output = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, scores.AsMemory(0, rows * _outputs), [rows, _outputs]);
        using var runOptions = new RunOptions();
        _session.Run(runOptions, _inputNames, [input], _outputNames, [output]);
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();

    /// <summary>
    /// ONNX Runtime's own logger writes to stderr, unformatted: without CUDA's libraries on the machine, appending the
    /// CUDA provider prints a multi-line native error (<c>libcublasLt.so.13: cannot open shared object file</c>)
    /// although the CPU fallback is expected and reported as one Warning line (<see cref="CudaUnavailableReason"/>).
    /// Only fatal native messages are let through; errors reach Lepton as exceptions and are logged there.
    /// </summary>
    private static void QuietNativeLogging()
    {
        var env = OrtEnv.Instance();
        if (env.EnvLogLevel != OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL)
        {
            env.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
        }
    }

    private static SessionOptions Options(int intraOpThreads)
    {
        var o = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        if (intraOpThreads > 0)
        {
            o.IntraOpNumThreads = intraOpThreads;
            o.InterOpNumThreads = 1;
        }

        return o;
    }

    private static Dictionary<string, string> Validate(InferenceSession session, ModelSchema schema)
    {
        var inputs = session.InputMetadata;
        var outputs = session.OutputMetadata;
        if (inputs.Count != 1 || !inputs.TryGetValue(ModelSchema.InputName, out var input))
        {
            throw Mismatch($"the model's inputs are [{string.Join(", ", inputs.Keys)}]; Lepton feeds exactly one input named '{ModelSchema.InputName}'");
        }

        if (!outputs.TryGetValue(ModelSchema.OutputName, out var output))
        {
            throw Mismatch($"the model's outputs are [{string.Join(", ", outputs.Keys)}]; Lepton reads one named '{ModelSchema.OutputName}'");
        }

        if (input.ElementType != typeof(float) || output.ElementType != typeof(float))
        {
            throw Mismatch($"input and output must be float tensors (input {input.ElementType.Name}, output {output.ElementType.Name})");
        }

        if (!ShapeIs(input.Dimensions, schema.FeatureCount))
        {
            throw Mismatch($"input '{ModelSchema.InputName}' has shape [{Shape(input.Dimensions)}]; schema {schema.Version} needs [N, {schema.FeatureCount}]");
        }

        if (!ShapeIs(output.Dimensions, schema.OutputWidth))
        {
            throw Mismatch($"output '{ModelSchema.OutputName}' has shape [{Shape(output.Dimensions)}]; Lepton needs [N, {schema.OutputWidth}]");
        }

        var metadata = new Dictionary<string, string>(session.ModelMetadata.CustomMetadataMap, StringComparer.Ordinal);
        if (!metadata.TryGetValue(BundleMetadata.Schema, out var version) || version != schema.Version)
        {
            throw Mismatch($"the model was trained on feature schema '{version ?? "(none recorded)"}'; this Lepton writes '{schema.Version}'. Retrain the model (lepton train {schema.Kind}) or use a matching Lepton version");
        }

        if (metadata.TryGetValue(BundleMetadata.Kind, out var kind) && kind != schema.Kind)
        {
            throw Mismatch($"the model is a '{kind}' model; expected a '{schema.Kind}' model");
        }

        var names = string.Join(',', schema.FeatureNames);
        if (!metadata.TryGetValue(BundleMetadata.FeatureNames, out var recorded) || recorded != names)
        {
            throw Mismatch($"the model's feature names differ from schema {schema.Version}'s");
        }

        return metadata;
    }

    private static bool ShapeIs(int[] dims, int width) => dims.Length == 2 && dims[1] == width && dims[0] is -1 or > 0;

    private static string Shape(int[] dims) => string.Join(", ", dims.Select(d => d < 0 ? "N" : d.ToString(CultureInfo.InvariantCulture)));

    private static ModelLoadException Mismatch(string message) => new(FallbackReason.SchemaMismatch, "Model refused: " + message + ".");
}
