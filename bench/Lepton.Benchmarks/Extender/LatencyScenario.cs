namespace Lepton.Benchmarks.Extender;

/// <summary>One measured combination.</summary>
/// <param name="Transport"><c>inprocess</c> or <c>http</c>.</param>
/// <param name="Mode"><c>NodeNames</c> or <c>Nodes</c>.</param>
/// <param name="Nodes">Cluster size (every node is a candidate).</param>
/// <param name="Extender"><c>lepton</c> or <c>null</c>.</param>
public sealed record LatencyScenario(string Transport, string Mode, int Nodes, string Extender);
