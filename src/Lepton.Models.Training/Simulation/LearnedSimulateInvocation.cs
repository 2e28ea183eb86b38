using System.Collections.Concurrent;
using System.Globalization;
using Lepton.Models.Inference;
using Lepton.Models.Metrics;
using Lepton.Models.Onnx;
using Lepton.Models.Prediction;
using Lepton.Models.Scoring;
using Lepton.Scheduling.Prediction;
using Lepton.Scheduling.Scoring;
using Lepton.Simulator.Invocation;

namespace Lepton.Models.Simulation;

/// <summary>
/// <c>lepton simulate</c> with the learned policy selectable: registers <c>Learned</c> in the
/// scorer registry the simulation runs with, over one ONNX Runtime session (CPU provider) shared
/// by every run, then hands over to <see cref="SimulateInvocation"/>. The model is checked before
/// any run: a missing, unreadable or mismatching model is one message on the error writer,
/// exit code 2 and nothing written (in a simulation a silent FGD fallback would report FGD's
/// numbers under the learned policy's name). Scoring calls the learned scorer leaves to FGD by its
/// out-of-distribution guard (<see cref="LearnedScorer.DeferralOf(Lepton.Scheduling.Inventory.PodDemand, Lepton.Scheduling.Fragmentation.FragmentationModel)"/>)
/// are counted in one note on the error writer after the runs, so FGD's numbers under the learned
/// policy's name are said to be FGD's.
/// </summary>
public static class LearnedSimulateInvocation
{
    /// <summary>The default policy model (<see cref="LeptonModelOptions.DefaultPolicyPath"/>, the same as <c>lepton serve</c>'s).</summary>
    public static string DefaultModelPath => LeptonModelOptions.DefaultPolicyPath;

    /// <summary>Runs <c>lepton simulate</c>.</summary>
    /// <param name="arguments">The arguments as typed.</param>
    /// <param name="modelPath"><c>--model</c>: the policy model for <c>Learned</c>; null for <see cref="DefaultModelPath"/>.</param>
    /// <param name="output">Where the table (and progress) go.</param>
    /// <param name="error">Where errors and warnings go.</param>
    /// <param name="interactive">Draw a progress bar (a terminal) instead of plain progress lines.</param>
    /// <param name="cancellationToken">Cancels the runs.</param>
    /// <returns>The exit code (<see cref="SimulateInvocation.UsageError"/> for a bad model).</returns>
    public static int Run(SimulateArguments arguments, string? modelPath, TextWriter output, TextWriter error, bool interactive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var requested = RequestsLearned(arguments.Policies);
        if (!requested && modelPath is not null)
        {
            error.WriteLine($"lepton simulate: --model is read only by the {LearnedScorer.PolicyName} policy; add {LearnedScorer.PolicyName} to --policies or leave --model out");
            return SimulateInvocation.UsageError;
        }

        var metrics = new ModelMetrics(Prometheus.Metrics.NewCustomRegistry());
        ScoringModelHost? host = null;
        try
        {
            if (requested && !TryLoad(modelPath, metrics, out host, out var message))
            {
                error.WriteLine($"lepton simulate: {message}");
                return SimulateInvocation.UsageError;
            }

            var scorers = new ConcurrentBag<LearnedScorer>();
            var registry = ScorerRegistry.CreateDefault();

            // Always registered, so that every "known policies" message lists it; its factory
            // runs only when --policies names it, and then the host is loaded.
            registry.Register(LearnedScorer.PolicyName, () =>
            {
                var scorer = new LearnedScorer(host ?? throw new InvalidOperationException("The Learned policy was created without a model."), metrics);
                scorers.Add(scorer);
                return scorer;
            });

            var code = SimulateInvocation.Run(arguments, registry, output, error, interactive, cancellationToken, LoadPredictor);
            var fallbacks = scorers.Sum(s => s.Fallbacks);
            if (code == SimulateInvocation.Success && fallbacks > 0)
            {
                error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lepton simulate: warning: {fallbacks:N0} scoring calls of the {LearnedScorer.PolicyName} policy fell back to FGD's scores (the model failed at run time); its numbers are not the model's alone"));
            }

            var deferrals = scorers.Sum(s => s.Deferrals);
            if (code == SimulateInvocation.Success && deferrals > 0)
            {
                var mix = metrics.DeferredCount(DeferralReason.WorkloadMixOutOfDistribution);
                var pod = metrics.DeferredCount(DeferralReason.GpuModelConstraint);
                error.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"lepton simulate: note: {deferrals:N0} scoring calls of the {LearnedScorer.PolicyName} policy were answered with FGD's scores by its out-of-distribution guard ({DeferralReason.WorkloadMixOutOfDistribution.ToLabel()} {mix:N0}, {DeferralReason.GpuModelConstraint.ToLabel()} {pod:N0}): the workload has pods that constrain the GPU model, which the policy was not trained on; on those calls its numbers are FGD's, not the model's"));
            }

            return code;
        }
        finally
        {
            host?.Dispose();
        }
    }

    /// <summary>The name <c>--predictor</c> takes for the shipped predictor bundle (<see cref="LeptonModelOptions.DefaultPredictorPath"/>).</summary>
    public const string LearnedPredictorName = "learned";

    /// <summary>
    /// Loads the predictor bundle <c>--predictor</c> names: <see cref="LearnedPredictorName"/> for the shipped one, else
    /// a path. The predictor lives as long as the process (one small ONNX session).
    /// </summary>
    /// <param name="text">The option's value.</param>
    /// <returns>The loaded predictor.</returns>
    /// <exception cref="InvalidDataException">The bundle is missing or unusable; the message says why.</exception>
    public static IDurationPredictor LoadPredictor(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var path = string.Equals(text, LearnedPredictorName, StringComparison.OrdinalIgnoreCase) ? LeptonModelOptions.DefaultPredictorPath : text;
        var predictor = OnnxDurationPredictor.Load(path);
        if (!predictor.IsLoaded)
        {
            predictor.Dispose();
            throw new InvalidDataException(predictor.FailureMessage ?? $"the predictor bundle '{path}' did not load");
        }

        return predictor;
    }

    /// <summary>Whether <c>--policies</c> names the learned policy (any case).</summary>
    /// <param name="policies">The <c>--policies</c> text, or null.</param>
    /// <returns>True when it does.</returns>
    public static bool RequestsLearned(string? policies) =>
        policies is not null
        && policies.Split(',', StringSplitOptions.TrimEntries).Any(p => string.Equals(p, LearnedScorer.PolicyName, StringComparison.OrdinalIgnoreCase));

    private static bool TryLoad(string? modelPath, ModelMetrics metrics, out ScoringModelHost? host, out string message)
    {
        host = null;
        message = string.Empty;
        if (modelPath is { Length: 0 })
        {
            message = "--model is empty";
            return false;
        }

        var path = Path.GetFullPath(modelPath ?? DefaultModelPath);
        var origin = modelPath is null ? "the default model (models/policy.onnx beside the lepton executable, else in the working directory)" : "--model";
        if (!File.Exists(path))
        {
            message = $"{origin} '{path}' does not exist; give the policy network with --model PATH (lepton train policy writes one)";
            return false;
        }

        var loaded = new ScoringModelHost(path, ModelSchema.Policy, ExecutionProviderOption.Cpu, metrics);
        if (!loaded.IsLoaded)
        {
            message = $"{origin} '{path}' cannot be used as the {LearnedScorer.PolicyName} policy ({loaded.Failure.ToLabel()}): {Detail(loaded.StatusMessage, path)}";
            loaded.Dispose();
            return false;
        }

        host = loaded;
        return true;
    }

    // The host's status reads "model file PATH: why"; the path is already in the message.
    private static string Detail(string status, string path)
    {
        var prefix = $"model file {path}: ";
        var detail = status.StartsWith(prefix, StringComparison.Ordinal) ? status[prefix.Length..] : status;
        return detail.ReplaceLineEndings(" ");
    }
}
