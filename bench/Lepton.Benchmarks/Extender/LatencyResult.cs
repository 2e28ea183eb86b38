namespace Lepton.Benchmarks.Extender;

/// <summary>Percentiles of one verb in one scenario: each the median over the repetitions, in milliseconds.</summary>
/// <param name="Scenario">The scenario.</param>
/// <param name="Verb"><c>filter</c>, <c>prioritize</c> or <c>cycle</c> (filter + prioritize).</param>
/// <param name="P50">Median.</param>
/// <param name="P90">90th percentile.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="Max">Largest.</param>
/// <param name="Requests">Measured requests per repetition.</param>
/// <param name="RequestKiB">Size of one request body.</param>
public sealed record LatencyResult(LatencyScenario Scenario, string Verb, double P50, double P90, double P99, double Max, int Requests, double RequestKiB);
