using YamlDotNet.RepresentationModel;

namespace Lepton.Charts.Tests;

/// <summary>The rendered chart, with default and non-default values (issue 6 item 5).</summary>
public class ChartManifestTests(ChartFixture chart) : IClassFixture<ChartFixture>
{
    public static TheoryData<string> ValueSets => new() { "default", "custom" };

    private IReadOnlyList<YamlMappingNode> Render(string set) => set == "default" ? chart.Render() : chart.Render(ChartFixture.NonDefault);

    [Theory]
    [MemberData(nameof(ValueSets))]
    public void Containers_RunNonRootReadOnlyWithProbes(string set)
    {
        var specs = Render(set).PodSpecs().ToList();
        Assert.NotEmpty(specs);
        foreach (var (owner, pod) in specs)
        {
            Assert.Equal("true", pod.Str("securityContext", "runAsNonRoot"));
            Assert.Equal("RuntimeDefault", pod.Str("securityContext", "seccompProfile", "type"));
            foreach (var c in pod.Seq("containers"))
            {
                var what = $"{owner} container {c.Str("name")}";
                Assert.True(c.Str("securityContext", "readOnlyRootFilesystem") == "true", $"{what}: root filesystem must be read-only");
                Assert.True(c.Str("securityContext", "allowPrivilegeEscalation") == "false", $"{what}: privilege escalation must be off");
                Assert.Contains("ALL", c.Seq("securityContext", "capabilities", "drop").Select(n => ((YamlScalarNode)n).Value));
                // A run-to-completion Job (the generated-certificates hook) has nothing to probe.
                Assert.True(owner.StartsWith("Job/", StringComparison.Ordinal) || (c.Get("livenessProbe") is not null && c.Get("readinessProbe") is not null), $"{what}: needs liveness and readiness probes");
                Assert.NotNull(c.Get("resources", "requests"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(ValueSets))]
    public void Rbac_HasNoWildcards(string set)
    {
        foreach (var role in Render(set).Where(d => d.Kind() is "Role" or "ClusterRole"))
        {
            foreach (var rule in role.Seq("rules"))
            {
                foreach (var field in new[] { "apiGroups", "resources", "verbs", "resourceNames" })
                {
                    Assert.DoesNotContain("*", rule.Seq(field).Select(n => ((YamlScalarNode)n).Value));
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(ValueSets))]
    public void SchedulerConfig_IsV1WithFourVerbs_PointingAtTheService(string set)
    {
        var docs = Render(set);
        var configMap = docs.Single(d => d.Kind() == "ConfigMap" && d.Name().EndsWith("-scheduler", StringComparison.Ordinal));
        var stream = new YamlStream();
        stream.Load(new StringReader(configMap.Str("data", "config.yaml")!));
        var config = stream.Documents.Single().RootNode;

        Assert.Equal("kubescheduler.config.k8s.io/v1", config.Str("apiVersion"));
        Assert.Equal("KubeSchedulerConfiguration", config.Str("kind"));
        Assert.Equal("100", config.Str("percentageOfNodesToScore"));
        var profile = Assert.Single(config.Seq("profiles"));
        Assert.Equal("lepton-scheduler", profile.Str("schedulerName"));
        var extender = Assert.Single(config.Seq("extenders"));
        Assert.Equal(("filter", "prioritize", "bind", "preempt"), (extender.Str("filterVerb"), extender.Str("prioritizeVerb"), extender.Str("bindVerb"), extender.Str("preemptVerb")));
        Assert.Equal("true", extender.Str("nodeCacheCapable"));
        Assert.Equal("false", extender.Str("ignorable"));
        Assert.Null(extender.Get("managedResources"));
        Assert.True(int.Parse(extender.Str("weight")!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        if (set == "default")
        {
            // The setting the simulator's kube mode measured (DECISIONS.md 3): weight 25 beside kube-scheduler's
            // default resource scoring (LeastAllocated, BalancedAllocation enabled).
            Assert.Equal("25", extender.Str("weight"));
            Assert.Null(profile.Get("plugins"));
            var fit = profile.Seq("pluginConfig").Single(p => p.Str("name") == "NodeResourcesFit");
            Assert.Equal("LeastAllocated", fit.Str("args", "scoringStrategy", "type"));
        }

        // urlPrefix = scheme://<service>.<namespace>.svc:<port><prefix>: the Service and port must exist.
        var url = new Uri(extender.Str("urlPrefix")!);
        var service = docs.Single(d => d.Kind() == "Service" && d.Str("metadata", "name") == url.Host.Split('.')[0]);
        // DECISIONS.md 19: kube-scheduler's Service selects the leader alone.
        Assert.Equal("leader", service.Str("spec", "selector", "lepton.ai/role"));
        Assert.Equal($"{service.Name()}.lepton-system.svc", url.Host);
        Assert.Contains(service.Seq("spec", "ports"), p => p.Str("port") == url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var deployment = docs.Single(d => d.Kind() == "Deployment" && d.Get("spec", "selector", "matchLabels") is YamlMappingNode m
            && m.Children.Values.OfType<YamlScalarNode>().Any(v => v.Value == "extender"));
        var container = deployment.Get("spec", "template", "spec")!.Seq("containers").Single();
        var targetPort = service.Seq("spec", "ports").Single().Str("targetPort");
        Assert.Contains(container.Seq("ports"), p => p.Str("name") == targetPort && p.Str("containerPort") == url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("https", url.Scheme); // mutual TLS in every mode (DECISIONS.md 21); ChartTlsTests covers tls.enabled=false
        Assert.Equal(set == "custom" ? "/lepton" : "/", url.AbsolutePath);
    }

    [Theory]
    [MemberData(nameof(ValueSets))]
    public void LeaderOnlyService_LeaderLabelsItsOwnPod_AndPrometheusScrapesEveryReplica(string set)
    {
        var docs = Render(set);
        var deployment = docs.Single(d => d.Kind() == "Deployment" && d.Name() == "lepton");
        var env = deployment.Get("spec", "template", "spec")!.Seq("containers").Single().Seq("env").ToList();
        var replicas = docs.Single(d => d.Kind() == "Service" && d.Name() == "lepton-replicas");

        // The pod the leader labels is its own (downward API), and the replicas Service selects every replica.
        Assert.Equal("metadata.name", env.Single(e => e.Str("name") == "Lepton__Operator__PodName").Str("valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("metadata.namespace", env.Single(e => e.Str("name") == "Lepton__Operator__PodNamespace").Str("valueFrom", "fieldRef", "fieldPath"));
        Assert.Null(replicas.Str("spec", "selector", "lepton.ai/role"));
        Assert.Equal(deployment.Str("spec", "selector", "matchLabels", "app.kubernetes.io/component"), replicas.Str("spec", "selector", "app.kubernetes.io/component"));
        if (set == "custom")
        {
            var monitor = docs.Single(d => d.Kind() == "ServiceMonitor" && d.Name() == "lepton");
            Assert.Equal(replicas.Str("metadata", "labels", "app.kubernetes.io/component"), monitor.Str("spec", "selector", "matchLabels", "app.kubernetes.io/component"));
        }
    }

    [Fact]
    public void ChartCrds_AreByteIdenticalToGeneratedCrds()
    {
        var generated = Directory.GetFiles(Path.Combine(chart.RepoRoot, "crds"), "*.yaml").Select(Path.GetFileName).Order().ToList();
        var shipped = Directory.GetFiles(Path.Combine(chart.RepoRoot, "charts", "lepton", "crds"), "*.yaml").Select(Path.GetFileName).Order().ToList();

        Assert.NotEmpty(generated);
        Assert.Equal(generated, shipped);
        foreach (var file in generated)
        {
            Assert.True(
                File.ReadAllBytes(Path.Combine(chart.RepoRoot, "crds", file!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(chart.RepoRoot, "charts", "lepton", "crds", file!))),
                $"charts/lepton/crds/{file} differs from crds/{file}: run 'make crds'.");
        }
    }

    [Fact]
    public void Values_SchemaRejectsUnknownPolicy()
    {
        var result = chart.Run(chart.Helm, "template", "lepton", Path.Combine(chart.RepoRoot, "charts", "lepton"), "--set", "policy=Fastest");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("/policy", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_StrictPassesWithDefaultAndCustomValues()
    {
        var plain = chart.Run(chart.Helm, "lint", "--strict", Path.Combine(chart.RepoRoot, "charts", "lepton"));
        var custom = chart.Run(chart.Helm, ["lint", "--strict", Path.Combine(chart.RepoRoot, "charts", "lepton"), .. ChartFixture.NonDefault.SelectMany(s => new[] { "--set", s })]);

        Assert.True(plain.ExitCode == 0, plain.Output);
        Assert.True(custom.ExitCode == 0, custom.Output);
    }
}
