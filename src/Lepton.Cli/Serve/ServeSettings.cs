using Lepton.Extender;
using Lepton.Models.Inference;
using Lepton.Scheduling.Scoring;

namespace Lepton.Cli.Serve;

/// <summary>The flags of <c>lepton serve</c>; null means "not given" (configuration or defaults apply).</summary>
internal sealed record ServeSettings
{
    /// <summary>The default listen address.</summary>
    public const string DefaultUrls = "http://0.0.0.0:8888";

    /// <summary>Addresses to listen on.</summary>
    public string Urls { get; init; } = DefaultUrls;

    /// <summary>
    /// Plain-HTTP addresses for <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c>; when given, those paths are served
    /// only there and the verbs only on <see cref="Urls"/> (required with TLS: probes and Prometheus carry no client certificate).
    /// </summary>
    public string? MetricsUrls { get; init; }

    /// <summary>The server certificate (PEM) of the extender port; with the key and client CA it turns on mutual TLS.</summary>
    public string? TlsCertFile { get; init; }

    /// <summary>The server certificate's private key (PEM).</summary>
    public string? TlsKeyFile { get; init; }

    /// <summary>The CA (PEM) client certificates must chain to; the only trust anchor (no system roots).</summary>
    public string? TlsClientCaFile { get; init; }

    /// <summary>The DNS SAN a client certificate must carry (null: <c>lepton-scheduler</c>).</summary>
    public string? TlsClientIdentity { get; init; }

    /// <summary>True when the extender port serves mutual TLS.</summary>
    public bool UsesTls => TlsCertFile is not null || TlsKeyFile is not null || TlsClientCaFile is not null;

    /// <summary>The cluster-state file.</summary>
    public string? ClusterStateFile { get; init; }

    /// <summary>A kubeconfig file: watch that API server and run the operator.</summary>
    public string? KubeconfigFile { get; init; }

    /// <summary>Use the pod's service account (in-cluster configuration) and run the operator.</summary>
    public bool InCluster { get; init; }

    /// <summary>Whether replicas elect a leader through a Lease (null: configuration, default on).</summary>
    public bool? LeaderElect { get; init; }

    /// <summary>The Lease's namespace (null: configuration, else <c>POD_NAMESPACE</c>, else lepton-system).</summary>
    public string? LeaseNamespace { get; init; }

    /// <summary>The Lease's duration (text as given: <c>15s</c> or <c>00:00:15</c>).</summary>
    public string? LeaseDuration { get; init; }

    /// <summary>How long the leader keeps trying to renew before it gives up leading.</summary>
    public string? RenewDeadline { get; init; }

    /// <summary>How often candidates try to acquire and the leader renews.</summary>
    public string? RetryPeriod { get; init; }

    /// <summary>True when the cluster comes from an API server (the operator runs).</summary>
    public bool UsesApiServer => KubeconfigFile is not null || InCluster;

    /// <summary>The placement policy.</summary>
    public string? Policy { get; init; }

    /// <summary>How prioritize maps scores to 0..10 (DECISIONS.md 3), or null for the configured default (StableRank).</summary>
    public ScoreMapping? ScoreMapping { get; init; }

    /// <summary>The request body limit.</summary>
    public long? MaxRequestBytes { get; init; }

    /// <summary>The verbs' path prefix.</summary>
    public string? PathPrefix { get; init; }

    /// <summary>The policy network file, or null for the default location.</summary>
    public string? ModelPath { get; init; }

    /// <summary>
    /// The duration predictor of the operator: a <c>.onnx</c> bundle, <see cref="NoPredictor"/> for none, or null for
    /// <c>LeptonModelOptions.DefaultPredictorPath</c>.
    /// </summary>
    public string? PredictorPath { get; init; }

    /// <summary><c>--queue-order</c>: <c>fifo</c> or <c>sjf-predicted</c>, or null for the configuration's (fifo by default).</summary>
    public string? QueueOrder { get; init; }

    /// <summary>The <c>--predictor</c> value that runs the operator without predictions.</summary>
    public const string NoPredictor = "none";

    /// <summary>The ONNX Runtime execution provider.</summary>
    public ExecutionProviderOption? ExecutionProvider { get; init; }
}
