using System.Security.Cryptography;
using Lepton.Models.Features;
using Lepton.Models.Inference;
using Lepton.Models.Onnx;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Prediction;
using Microsoft.ML.OnnxRuntime;

namespace Lepton.Models.Prediction;

/// <summary>
/// The served duration predictor: a <c>lepton.predictor-features/v2</c> bundle (<c>models/predictor.onnx</c>) run by
/// ONNX Runtime on the CPU. Loading never throws: a missing, broken or mismatched bundle gives a predictor whose
/// <see cref="TryPredict"/> returns false (callers fall back to FIFO order) and whose <see cref="Failure"/> and
/// <see cref="FailureMessage"/> say why. Thread-safe.
/// </summary>
public sealed class OnnxDurationPredictor : IDurationPredictor, IDisposable
{
    private readonly OnnxModelSession? _session;

    private OnnxDurationPredictor(OnnxModelSession? session, string version, FallbackReason failure, string? message)
    {
        _session = session;
        Version = version;
        Failure = failure;
        FailureMessage = message;
    }

    /// <summary>
    /// The bundle's version: <c>predictor@</c> and the first 12 hex digits of the file's SHA-256, so two different
    /// models never share a version; <c>predictor@unavailable</c> when it did not load.
    /// </summary>
    public string Version { get; }

    /// <summary>True when the bundle loaded and predictions come from it.</summary>
    public bool IsLoaded => _session is not null;

    /// <summary>Why the bundle is not used (<see cref="FallbackReason.None"/> when it is loaded).</summary>
    public FallbackReason Failure { get; }

    /// <summary>What went wrong loading the bundle, or null when it loaded.</summary>
    public string? FailureMessage { get; }

    /// <summary>The bundle's <c>metadata_props</c> (empty when it did not load).</summary>
    public IReadOnlyDictionary<string, string> Metadata => _session?.Metadata ?? new Dictionary<string, string>();

    /// <summary>Loads a bundle from a file; never throws for a missing or unusable file.</summary>
    /// <param name="path">The <c>.onnx</c> file.</param>
    /// <returns>The predictor (check <see cref="IsLoaded"/>).</returns>
    public static OnnxDurationPredictor Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Unavailable(FallbackReason.Missing, $"The predictor bundle '{path}' does not exist.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Unavailable(FallbackReason.LoadError, $"The predictor bundle '{path}' cannot be read: {e.Message}");
        }

        return FromBytes(bytes);
    }

    /// <summary>Loads a bundle from its bytes; never throws for unusable bytes.</summary>
    /// <param name="model">The ONNX bytes.</param>
    /// <returns>The predictor (check <see cref="IsLoaded"/>).</returns>
    public static OnnxDurationPredictor FromBytes(byte[] model)
    {
        ArgumentNullException.ThrowIfNull(model);
        try
        {
            var session = OnnxModelSession.Create(model, ModelSchema.Predictor, ExecutionProviderOption.Cpu);
            return new OnnxDurationPredictor(session, VersionOf(model), FallbackReason.None, null);
        }
        catch (ModelLoadException e)
        {
            return Unavailable(e.Reason, e.Message);
        }
    }

    /// <summary>The version a bundle's bytes get.</summary>
    /// <param name="model">The ONNX bytes.</param>
    /// <returns><c>predictor@</c> and 12 hex digits.</returns>
    public static string VersionOf(byte[] model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return "predictor@" + Convert.ToHexStringLower(SHA256.HashData(model))[..12];
    }

    /// <inheritdoc />
    public bool TryPredict(PodDemand pod, DateTimeOffset submittedAt, JobHistory history, out DurationPrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(history);
        prediction = default;
        if (_session is null)
        {
            return false;
        }

        var row = new float[PredictorFeatures.Count];
        var output = new float[PredictorQuantiles.Count];
        PredictorFeatures.Write(pod, submittedAt, history, row);
        try
        {
            _session.Run(row, 1, output);
        }
        catch (OnnxRuntimeException)
        {
            return false;
        }

        return PredictionOutput.TryRead(output, Version, out prediction);
    }

    /// <inheritdoc />
    public void Dispose() => _session?.Dispose();

    private static OnnxDurationPredictor Unavailable(FallbackReason reason, string message) =>
        new(null, "predictor@unavailable", reason, message);
}
