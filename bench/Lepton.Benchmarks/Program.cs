using BenchmarkDotNet.Running;

// `dotnet run -c Release --project bench/Lepton.Benchmarks -- <harness|BenchmarkDotNet args>`.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
