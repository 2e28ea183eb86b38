using BenchmarkDotNet.Running;
using Lepton.Benchmarks.Cycle;
using Lepton.Benchmarks.Extender;
using Lepton.Benchmarks.Models;
using Lepton.Benchmarks.Operator;
using Lepton.Benchmarks.Simulator;

// `dotnet run -c Release --project bench/Lepton.Benchmarks -- <harness> [options]` runs a latency or
// timing harness (HdrHistogram percentiles, DECISIONS.md 17); anything else goes to BenchmarkDotNet
// (`-- --filter '*Extender*'`, `-- --list flat`).
//   latency    extender filter/prioritize beside a null extender (in process and over HTTP)
//   cycle      kube-scheduler's scheduling cycle (filter, then prioritize with the survivors) on one
//              connection, Lepton beside the null extender in alternating blocks, without and with binds
//   soak       the built `lepton serve --cluster-state` under 8 + 1 connections for 10 minutes: RSS, GC heap, errors, p99
//   models     learned-scorer inference for N candidate nodes
//   simulator  artifact runs (6 policies x N seeds) and the large synthetic run
//   operator   1,000 LeptonJobs to Running; 5,000 nodes + 50,000 realistic pods in the cache (time, memory)
return args.Length > 0 ? args[0] switch
{
    "latency" => await ExtenderLatencyHarness.RunAsync(args[1..]).ConfigureAwait(false),
    "cycle" => await CycleBench.RunAsync(args[1..]).ConfigureAwait(false),
    "soak" => await SoakBench.RunAsync(args[1..]).ConfigureAwait(false),
    "models" => ModelInferenceLatencyHarness.Run(args[1..]),
    "simulator" => await SimulatorBench.RunAsync(args[1..]).ConfigureAwait(false),
    "operator" => await OperatorBench.RunAsync(args[1..]).ConfigureAwait(false),
    _ => RunBenchmarkDotNet(args),
} : RunBenchmarkDotNet(args);

static int RunBenchmarkDotNet(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(ExtenderLatencyHarness).Assembly).Run(args);
    return 0;
}
