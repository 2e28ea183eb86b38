using System.CommandLine;
using Lepton.Models.Simulation;
using Lepton.Simulator.Invocation;

namespace Lepton.Cli.Commands;

/// <summary><c>lepton simulate</c>: replays a workload through the scheduling core.</summary>
/// <remarks>
/// Every option is read as text and checked by <see cref="SimulateInvocation"/>, so a bad value
/// or an unknown token is one clear message with exit code 2 (System.CommandLine's own parse
/// errors would exit 1). <c>--policies Learned</c> runs the learned policy over <c>--model</c>
/// (default: models/policy.onnx beside the executable), checked before any run by
/// <see cref="LearnedSimulateInvocation"/>.
/// </remarks>
internal static class SimulateCommand
{
    /// <summary>Builds the command.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var nodes = Text("--nodes", "An openb node list (sn,cpu_milli,memory_mib,gpu,model). Needs --pods.");
        var pods = Text("--pods", "An openb pod list (every variant, including the 5-column multigpu* lists). Needs --nodes.");
        var clusterState = Text("--cluster-state", "A `kubectl get nodes,pods -A -o json` file: nodes and bound pods are the start, pending pods arrive in creation order.");
        var mode = Text("--mode", "artifact (the FGD paper's method, default), kube (through kube-scheduler with Lepton as extender) or timeline (creation/deletion times with a queue).");
        var policies = Text("--policies", "Comma-separated policies (default: Random,DotProd,GpuClustering,GpuPacking,BestFit,FGD; also MostAllocated, LeastAllocated, Learned).");
        var model = Text("--model", "The policy network for --policies Learned (default: models/policy.onnx beside the lepton executable). A missing or mismatching model is an error (exit 2), not a fallback.");
        var seeds = Text("--seeds", "Number of seeds, 42..42+N-1 (default 10).");
        var output = Text("--out", $"Output folder for results.json and plots (default ./{SimulateInvocation.DefaultOutputDirectory}).");
        var queue = Text("--queue", "Timeline mode: comma-separated queue orders, each run on the same cluster and arrivals: fifo (default), priority, las, sjf-oracle, sjf-predicted.");
        var gpus = Text("--gpus", "Timeline mode: sample a cluster of about N GPUs from the node list (seeded) and compress arrivals to --load (DECISIONS 23).");
        var load = Text("--load", "Timeline mode with --gpus: the effective offered load, sum of gpus x min(lifetime, W) / (N x W) (default 1).");
        var predictor = Text("--predictor", "Timeline mode: what sjf-predicted orders by: class-median (default), noisy-oracle:SIGMA, learned (the shipped models/predictor.onnx) or a predictor bundle's path.");
        var guard = Text("--starvation-guard", "Timeline mode: sjf-predicted's guard BOUND_SECONDS,MULTIPLE (default 604800,8): a pod waiting longer than max(bound, multiple x predicted) goes first; or none.");
        var priorityFirst = Text("--priority-first", "Timeline mode: yes to sort every queue order by priority first, as kube-scheduler does (openb priority comes from QoS: LS 2, Burstable 1, BE 0); no (default).");
        var checkpoint = Text("--checkpoint-every", "Timeline mode, las: seconds of progress between checkpoints; a preempted pod loses the work since its last one (default 1800).");
        var restart = Text("--restart-delay", "Timeline mode, las: seconds a preempted pod spends restarting (default 60).");
        var reportAfter = Text("--report-after", "Timeline mode: metrics count only pods submitted after this fraction of the arrivals (default 0).");
        var weight = Text("--extender-weight", "Kube mode: the extender weight (default: Lepton's recommended value).");
        var mapping = Text("--score-mapping", "Kube mode: how 0..100 scores become 0..10: StableRank (the default), MinMax, MinMaxTruncated, Rank, Divide, TopOnly (the names lepton serve takes).");
        var fit = Text("--fit-strategy", "Kube mode: NodeResourcesFit scoring: least (kube default), most, none.");
        var balanced = Text("--balanced-allocation-weight", "Kube mode: NodeResourcesBalancedAllocation weight (0 disables).");
        var percentage = Text("--percentage-of-nodes-to-score", "Kube mode: percentageOfNodesToScore, 1..100, or 0 for kube-scheduler's adaptive default.");

        var command = new Command("simulate", "Replay a GPU cluster trace through Lepton's scoring code. With no arguments: the built-in synthetic openb-like workload, artifact mode, the six paper policies, 10 seeds.")
        {
            nodes, pods, clusterState, mode, policies, model, seeds, output, queue, gpus, load, predictor, guard, priorityFirst, checkpoint, restart, reportAfter,
            weight, mapping, fit, balanced, percentage,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, cancellationToken) => Task.FromResult(LearnedSimulateInvocation.Run(
            new SimulateArguments
            {
                Nodes = Value(result, nodes),
                Pods = Value(result, pods),
                ClusterState = Value(result, clusterState),
                Mode = Value(result, mode),
                Policies = Value(result, policies),
                Seeds = Value(result, seeds),
                Out = Value(result, output),
                Queue = Value(result, queue),
                Gpus = Value(result, gpus),
                Load = Value(result, load),
                Predictor = Value(result, predictor),
                StarvationGuard = Value(result, guard),
                PriorityFirst = Value(result, priorityFirst),
                CheckpointEvery = Value(result, checkpoint),
                RestartDelay = Value(result, restart),
                ReportAfter = Value(result, reportAfter),
                ExtenderWeight = Value(result, weight),
                ScoreMapping = Value(result, mapping),
                FitStrategy = Value(result, fit),
                BalancedAllocationWeight = Value(result, balanced),
                PercentageOfNodesToScore = Value(result, percentage),
                Unrecognized = [.. result.UnmatchedTokens],
            },
            Value(result, model),
            Console.Out,
            Console.Error,
            interactive: !Console.IsOutputRedirected,
            cancellationToken)));
        return command;
    }

    // An option given without a value reads as empty text, which validation then names.
    private static string? Value(ParseResult result, Option<string?> option) =>
        result.GetResult(option) is { } r ? result.GetValue(option) ?? string.Empty : null;

    private static Option<string?> Text(string name, string description) => new(name)
    {
        Description = description,
        Arity = ArgumentArity.ZeroOrOne,
    };
}
