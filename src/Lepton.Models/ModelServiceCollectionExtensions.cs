using Lepton.Models.Inference;
using Lepton.Models.Metrics;
using Lepton.Models.Onnx;
using Lepton.Models.Scoring;
using Lepton.Scheduling.Scoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Lepton.Models;

/// <summary>Registers the model layer (house style 20).</summary>
public static class ModelServiceCollectionExtensions
{
    /// <summary>
    /// Adds options (<c>Lepton:Models</c>, validated at start), <see cref="ModelMetrics"/> (in the
    /// registered <see cref="CollectorRegistry"/>, else the default one), the policy
    /// <see cref="ScoringModelHost"/> (also as <see cref="IScoringModel"/>: one session for the
    /// process), its hot-reload polling, <see cref="ILearnedScorerFactory"/>, and the <c>Learned</c>
    /// policy as a <see cref="ScorerRegistration"/> (the extender's registry picks it up). The model never
    /// decides readiness: a missing model means FGD scores (DECISIONS.md 10). The host is lazy: the model file is read
    /// and an ONNX Runtime session created (the CUDA provider probed) only when the <c>Learned</c> policy's scorer is
    /// created or the model is first run, so a replica serving another policy never loads it.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Applied after configuration binding (command-line flags).</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddLeptonModels(this IServiceCollection services, Action<LeptonModelOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        var options = services.AddOptions<LeptonModelOptions>()
            .BindConfiguration(LeptonModelOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(sp => new ModelMetrics(sp.GetService<CollectorRegistry>() ?? Prometheus.Metrics.DefaultRegistry));
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<LeptonModelOptions>>().Value;
            return new ScoringModelHost(
                o.PolicyPath,
                ModelSchema.Policy,
                o.ExecutionProvider,
                sp.GetRequiredService<ModelMetrics>(),
                sp.GetService<ILogger<ScoringModelHost>>(),
                sp.GetRequiredService<TimeProvider>(),
                o.IntraOpThreads,
                loadNow: false,
                nanRunsUntilUnusable: o.NanRunsUntilUnusable);
        });
        services.TryAddSingleton<IScoringModel>(sp => sp.GetRequiredService<ScoringModelHost>());
        services.TryAddSingleton<ILearnedScorerFactory>(sp => new LearnedScorerFactory(
            sp.GetRequiredService<IScoringModel>(),
            sp.GetRequiredService<ModelMetrics>(),
            sp.GetService<ILoggerFactory>()));
        if (!services.Any(d => d.ImplementationInstance is ScorerRegistration { Name: LearnedScorer.PolicyName }))
        {
            services.AddSingleton(new ScorerRegistration(LearnedScorer.PolicyName, sp =>
            {
                // The policy is chosen: load the model (and probe CUDA) now, not at the first prioritize.
                (sp.GetRequiredService<IScoringModel>() as ScoringModelHost)?.EnsureLoaded();
                return sp.GetRequiredService<ILearnedScorerFactory>().Create();
            }));
        }
        services.AddHostedService<ModelReloadService>();
        return services;
    }
}
