using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Lepton.Charts.Tests;

/// <summary>
/// Alerts, ServiceMonitors and the dashboard (issue 12 items 6 and 7). The alert expressions
/// themselves are unit-tested by promtool (tests/rules, <c>make chart-rules-test</c>).
/// </summary>
public partial class MonitoringTests(ChartFixture chart) : IClassFixture<ChartFixture>
{
    private static readonly string[] Monitored = ["metrics.serviceMonitor.enabled=true", "metrics.prometheusRule.enabled=true"];

    [Fact]
    public void Render_ServiceMonitorEnabled_ScrapesTheSchedulerOverHttpsWithAToken()
    {
        var docs = chart.Render(Monitored);

        var service = docs.Single(d => d.Kind() == "Service" && d.Name() == "lepton-scheduler-metrics");
        var monitor = docs.Single(d => d.Kind() == "ServiceMonitor" && d.Name() == "lepton-scheduler");
        var endpoint = monitor.Seq("spec", "endpoints").Single();
        Assert.Equal("10259", service.Seq("spec", "ports").Single().Str("port"));
        Assert.Equal("scheduler", service.Str("spec", "selector", "app.kubernetes.io/component"));
        Assert.Equal(service.Str("metadata", "labels", "app.kubernetes.io/component"), monitor.Str("spec", "selector", "matchLabels", "app.kubernetes.io/component"));
        Assert.Equal("https", endpoint.Str("scheme"));
        Assert.Equal("https", endpoint.Str("port"));
        Assert.Equal("/var/run/secrets/kubernetes.io/serviceaccount/token", endpoint.Str("bearerTokenFile"));
        Assert.Equal("true", endpoint.Str("tlsConfig", "insecureSkipVerify"));
    }

    [Fact]
    public void Render_PrometheusServiceAccountSet_BindsItToTheMetricsReader()
    {
        var without = chart.Render(Monitored);
        var with = chart.Render([.. Monitored, "metrics.serviceMonitor.prometheusServiceAccount.name=prometheus-k8s", "metrics.serviceMonitor.prometheusServiceAccount.namespace=monitoring"]);

        var role = with.Single(d => d.Kind() == "ClusterRole" && d.Name() == "lepton-scheduler-metrics-reader");
        var rule = role.Seq("rules").Single();
        Assert.Equal(["/metrics"], rule.Seq("nonResourceURLs").Select(n => ((YamlScalarNode)n).Value));
        Assert.Equal(["get"], rule.Seq("verbs").Select(n => ((YamlScalarNode)n).Value));
        Assert.DoesNotContain(without, d => d.Kind() == "ClusterRoleBinding" && d.Name() == "lepton-scheduler-metrics-reader");
        var binding = with.Single(d => d.Kind() == "ClusterRoleBinding" && d.Name() == "lepton-scheduler-metrics-reader");
        var subject = binding.Seq("subjects").Single();
        Assert.Equal("prometheus-k8s", subject.Str("name"));
        Assert.Equal("monitoring", subject.Str("namespace"));
    }

    [Fact]
    public void Render_PrometheusRule_HasAbsentBasedOutageAlertsAndTheSchedulersAlerts()
    {
        var rules = RenderedRules();

        Assert.StartsWith("absent(", rules["LeptonNoLeader"], StringComparison.Ordinal);
        Assert.StartsWith("absent(", rules["LeptonNoReadyExtender"], StringComparison.Ordinal);
        Assert.StartsWith("absent(", rules["LeptonSchedulerDown"], StringComparison.Ordinal);
        Assert.Contains("lepton_extender_request_duration_seconds_bucket", rules["LeptonExtenderSlow"], StringComparison.Ordinal);
        Assert.Contains("lepton_scoring_fallback_total", rules["LeptonScoringFallback"], StringComparison.Ordinal);
        Assert.Contains("scheduler_pending_pods", rules["LeptonSchedulerPendingPods"], StringComparison.Ordinal);
        Assert.Contains("job=\"lepton-scheduler-metrics\"", rules["LeptonSchedulerPendingPods"], StringComparison.Ordinal);
    }

    [Fact]
    public void DashboardAndAlerts_EveryLeptonMetricTheyRead_IsDefinedInTheSource()
    {
        var dashboard = File.ReadAllText(Path.Combine(chart.RepoRoot, "charts", "lepton", "dashboards", "lepton.json"));
        var used = MetricName().Matches(dashboard + "\n" + string.Join("\n", RenderedRules().Values))
            .Select(m => Regex.Replace(m.Value, "_(bucket|sum|count)$", ""))
            .ToHashSet(StringComparer.Ordinal);
        var source = string.Join(
            "\n",
            Directory.EnumerateFiles(Path.Combine(chart.RepoRoot, "src"), "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText));

        Assert.NotEmpty(used);
        Assert.All(used, name => Assert.True(source.Contains('"' + name + '"', StringComparison.Ordinal), $"{name} is read by the chart but no metric of that name is defined under src/"));
    }

    [Theory]
    [InlineData("fallbackRatio", "2")]
    [InlineData("extenderLatencyP99Seconds", "0")]
    [InlineData("schedulerPendingFor", "\"soon\"")]
    public void Values_SchemaRejectsAlertThresholdsOutOfRange(string key, string json)
    {
        var sut = chart.Run(chart.Helm, "template", "lepton", Path.Combine(chart.RepoRoot, "charts", "lepton"), "--set-json", $"metrics.prometheusRule.{key}={json}");

        Assert.NotEqual(0, sut.ExitCode);
        Assert.Contains("/metrics/prometheusRule/" + key, sut.Output, StringComparison.Ordinal);
    }

    private Dictionary<string, string> RenderedRules()
    {
        var rule = chart.Render(Monitored).Single(d => d.Kind() == "PrometheusRule");
        return rule.Seq("spec", "groups").SelectMany(g => g.Seq("rules")).ToDictionary(r => r.Str("alert")!, r => r.Str("expr")!);
    }

    [GeneratedRegex(@"\blepton_[a-z0-9_]+")]
    private static partial Regex MetricName();
}
