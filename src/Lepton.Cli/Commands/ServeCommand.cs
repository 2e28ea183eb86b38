using System.CommandLine;
using Lepton.Cli.Serve;
using Lepton.Extender;
using Lepton.Models.Inference;
using Lepton.Scheduling.Scoring;

namespace Lepton.Cli.Commands;

/// <summary><c>lepton serve</c>: hosts the scheduler extender (and, with a cluster, the operator).</summary>
internal static class ServeCommand
{
    /// <summary>Builds the command.</summary>
    /// <param name="run">Runs the parsed flags (default: <see cref="ServeHost.RunAsync"/> with errors on stderr); tests pass their own.</param>
    /// <returns>The command.</returns>
    public static Command Create(Func<ServeSettings, CancellationToken, Task<int>>? run = null)
    {
        run ??= (settings, cancellationToken) => ServeHost.RunAsync(settings, Console.Error, cancellationToken);
        var urls = new Option<string>("--urls")
        {
            Description = "Addresses to listen on (';'-separated).",
            DefaultValueFactory = _ => ServeSettings.DefaultUrls,
        };
        var metricsUrls = new Option<string?>("--metrics-urls")
        {
            Description = "Plain-HTTP addresses for /metrics, /healthz and /readyz (';'-separated); then the verbs are served only on --urls. Required with TLS.",
        };
        var tlsCert = new Option<FileInfo?>("--tls-cert-file")
        {
            Description = "Server certificate (PEM) of the extender port. With --tls-key-file and --tls-client-ca-file: mutual TLS, --urls must be https. Re-read when the file changes.",
        };
        var tlsKey = new Option<FileInfo?>("--tls-key-file") { Description = "The server certificate's private key (PEM)." };
        var tlsClientCa = new Option<FileInfo?>("--tls-client-ca-file")
        {
            Description = "CA certificate(s) (PEM) client certificates must chain to; the only trust anchor (system roots are not trusted). A certificate that does not chain fails the handshake.",
        };
        var tlsClientIdentity = new Option<string?>("--tls-client-identity")
        {
            Description = "DNS SAN a client certificate must carry (default lepton-scheduler); another identity from the same CA gets 403.",
        };
        var clusterState = new Option<FileInfo?>("--cluster-state")
        {
            Description = "Load nodes and pods from a `kubectl get nodes,pods -A -o json` file instead of an API server.",
        };
        var kubeconfig = new Option<FileInfo?>("--kubeconfig")
        {
            Description = "Watch the API server of this kubeconfig and run the operator (LeptonJobs, gang admission, binding, rebalancing) beside the extender.",
        };
        var inCluster = new Option<bool>("--in-cluster")
        {
            Description = "Like --kubeconfig, with the pod's service account (what the Helm chart uses).",
        };
        var leaderElect = new Option<bool?>("--leader-elect")
        {
            Description = "Elect one leader among the replicas through a coordination.k8s.io Lease (default true); every replica serves the extender.",
        };
        var leaseNamespace = new Option<string?>("--lease-namespace")
        {
            Description = "The Lease's namespace (default: $POD_NAMESPACE, else lepton-system).",
        };
        var leaseDuration = new Option<string?>("--lease-duration") { Description = "How long a Lease is valid without renewal, e.g. 15s." };
        var renewDeadline = new Option<string?>("--renew-deadline") { Description = "How long the leader tries to renew before it stops leading, e.g. 10s." };
        var retryPeriod = new Option<string?>("--retry-period") { Description = "How often to try to acquire or renew the Lease, e.g. 2s." };
        var policy = new Option<string?>("--policy")
        {
            Description = "Placement policy prioritize scores with (default FGD): Random, DotProd, GpuClustering, GpuPacking, BestFit, FGD, MostAllocated, LeastAllocated, Learned.",
        };
        var scoreMapping = new Option<ScoreMapping?>("--score-mapping")
        {
            Description = "How prioritize maps the policy's scores to kube-scheduler's 0..10 (default StableRank, for extender weight 25); MinMax, MinMaxTruncated, Rank, Divide and TopOnly are there to compare (the names lepton simulate takes).",
        };
        var model = new Option<FileInfo?>("--model")
        {
            Description = "The policy network for --policy Learned (default: Lepton:Models:PolicyPath, else models/policy.onnx beside the executable, else in the working directory). A missing or broken model means FGD scores, counted in lepton_scoring_fallback_total.",
        };
        var executionProvider = new Option<ExecutionProviderOption?>("--execution-provider")
        {
            Description = "ONNX Runtime execution provider: Auto (CUDA when it loads, else CPU), Cuda or Cpu (default: Lepton:Models:ExecutionProvider, else Auto).",
        };
        var predictor = new Option<string?>("--predictor")
        {
            Description = "The operator's duration predictor (status.predictedDuration): a .onnx bundle, or none (default: models/predictor.onnx beside the executable, else in the working directory). A missing or broken bundle is one warning and the operator runs without predictions.",
        };
        var queueOrder = new Option<string?>("--queue-order")
        {
            Description = "How waiting gangs of one priority are admitted: fifo (creation time, the default) or sjf-predicted (shortest status.predictedDuration first, with the starvation guard of Lepton:Operator:StarvationBound/StarvationMultiple).",
        };
        var maxRequestBytes = new Option<long?>("--max-request-bytes")
        {
            Description = $"Refuse request bodies larger than this with 413 (default {ExtenderOptions.DefaultMaxRequestBytes}).",
        };
        var pathPrefix = new Option<string?>("--path-prefix")
        {
            Description = "Serve the verbs under this path, e.g. /lepton for /lepton/filter (default: none).",
        };

        var command = new Command("serve", "Serve the kube-scheduler extender over HTTP; with --kubeconfig or --in-cluster also run the operator.")
        {
            urls,
            metricsUrls,
            tlsCert,
            tlsKey,
            tlsClientCa,
            tlsClientIdentity,
            clusterState,
            kubeconfig,
            inCluster,
            leaderElect,
            leaseNamespace,
            leaseDuration,
            renewDeadline,
            retryPeriod,
            policy,
            scoreMapping,
            maxRequestBytes,
            pathPrefix,
            model,
            executionProvider,
            predictor,
            queueOrder,
        };
        command.SetAction((result, cancellationToken) => run(
            new ServeSettings
            {
                Urls = result.GetValue(urls) ?? ServeSettings.DefaultUrls,
                MetricsUrls = result.GetValue(metricsUrls),
                TlsCertFile = result.GetValue(tlsCert)?.FullName,
                TlsKeyFile = result.GetValue(tlsKey)?.FullName,
                TlsClientCaFile = result.GetValue(tlsClientCa)?.FullName,
                TlsClientIdentity = result.GetValue(tlsClientIdentity),
                ClusterStateFile = result.GetValue(clusterState)?.FullName,
                KubeconfigFile = result.GetValue(kubeconfig)?.FullName,
                InCluster = result.GetValue(inCluster),
                LeaderElect = result.GetValue(leaderElect),
                LeaseNamespace = result.GetValue(leaseNamespace),
                LeaseDuration = result.GetValue(leaseDuration),
                RenewDeadline = result.GetValue(renewDeadline),
                RetryPeriod = result.GetValue(retryPeriod),
                Policy = result.GetValue(policy),
                ScoreMapping = result.GetValue(scoreMapping),
                MaxRequestBytes = result.GetValue(maxRequestBytes),
                PathPrefix = result.GetValue(pathPrefix),
                ModelPath = result.GetValue(model)?.FullName,
                ExecutionProvider = result.GetValue(executionProvider),
                PredictorPath = result.GetValue(predictor),
                QueueOrder = result.GetValue(queueOrder),
            },
            cancellationToken));
        return command;
    }
}
