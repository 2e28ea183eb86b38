using BenchmarkDotNet.Running;
using Lepton.Benchmarks.Extender;

// `dotnet run -c Release --project bench/Lepton.Benchmarks -- latency [options]` runs the extender
// latency harness (HdrHistogram percentiles, DECISIONS.md 17); anything else goes to
// BenchmarkDotNet (`-- --filter '*Extender*'`, `-- --list flat`).
if (args.Length > 0 && args[0] == "latency")
{
    return await ExtenderLatencyHarness.RunAsync(args[1..]).ConfigureAwait(false);
}

BenchmarkSwitcher.FromAssembly(typeof(ExtenderLatencyHarness).Assembly).Run(args);
return 0;
