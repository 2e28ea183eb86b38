using Lepton.Operator.Metrics;

namespace Lepton.Operator.Tests.Testing;

/// <summary>Operator metrics on a private registry, so tests never share counters.</summary>
public static class TestMetrics
{
    public static OperatorMetrics Create() => new(Prometheus.Metrics.NewCustomRegistry());
}
