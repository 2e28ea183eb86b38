using YamlDotNet.RepresentationModel;

namespace Lepton.Charts.Tests;

/// <summary>
/// Mutual TLS between the chart's kube-scheduler and Lepton (DECISIONS.md 21, issue 12 item 1), in each mode:
/// generated (default), certManager, existing Secrets, and off.
/// </summary>
public sealed class ChartTlsTests(ChartFixture chart) : IClassFixture<ChartFixture>
{
    private static readonly string[] CertManager = ["tls.mode=certManager"];
    private static readonly string[] Existing = ["tls.mode=existing", "tls.existing.serverSecretName=my-server", "tls.existing.clientSecretName=my-client"];
    private static readonly string[] Plain = ["tls.enabled=false"];

    public static TheoryData<string> TlsModes => new() { "generated", "certManager", "existing" };

    [Theory]
    [MemberData(nameof(TlsModes))]
    public void SchedulerConfig_MutualTls_HttpsUrlAndTlsConfigWithTheMountedClientSecret(string mode)
    {
        var docs = RenderMode(mode);
        var extender = Extender(docs);
        var scheduler = PodSpec(docs, "lepton-scheduler");

        Assert.Equal("true", extender.Str("enableHTTPS"));
        Assert.StartsWith("https://lepton.lepton-system.svc:8888", extender.Str("urlPrefix"), StringComparison.Ordinal);
        Assert.Equal("lepton.lepton-system.svc", extender.Str("tlsConfig", "serverName"));
        Assert.Equal("false", extender.Str("tlsConfig", "insecure"));
        var mountPath = scheduler.Seq("containers").Single().Seq("volumeMounts").Single(m => m.Str("name") == "tls").Str("mountPath");
        Assert.Equal(mountPath + "/tls.crt", extender.Str("tlsConfig", "certFile"));
        Assert.Equal(mountPath + "/tls.key", extender.Str("tlsConfig", "keyFile"));
        Assert.Equal(mountPath + "/ca.crt", extender.Str("tlsConfig", "caFile"));
        var volume = scheduler.Seq("volumes").Single(v => v.Str("name") == "tls");
        Assert.Equal(mode == "existing" ? "my-client" : "lepton-scheduler-tls", volume.Str("secret", "secretName"));
        Assert.Equal(["tls.crt", "tls.key", "ca.crt"], volume.Seq("secret", "items").Select(i => i.Str("key")));
    }

    [Theory]
    [MemberData(nameof(TlsModes))]
    public void Lepton_ServesTheVerbsOverMutualTlsPinnedToTheSchedulerAndProbesOnThePlainMetricsPort(string mode)
    {
        var docs = RenderMode(mode);
        var pod = PodSpec(docs, "lepton");
        var container = pod.Seq("containers").Single();
        var args = container.Seq("args").Select(a => ((YamlScalarNode)a).Value).ToList();
        var mountPath = container.Seq("volumeMounts").Single(m => m.Str("name") == "tls").Str("mountPath");

        Assert.Contains("--urls=https://0.0.0.0:8888", args);
        Assert.Contains("--metrics-urls=http://0.0.0.0:9090", args);
        Assert.Contains($"--tls-cert-file={mountPath}/tls.crt", args);
        Assert.Contains($"--tls-key-file={mountPath}/tls.key", args);
        Assert.Contains($"--tls-client-ca-file={mountPath}/ca.crt", args);
        Assert.Contains("--tls-client-identity=lepton-scheduler", args);
        Assert.Equal(mode == "existing" ? "my-server" : "lepton-server-tls", pod.Seq("volumes").Single(v => v.Str("name") == "tls").Str("secret", "secretName"));
        AssertProbesAndScrapeOnMetricsPort(docs, container);
    }

    [Theory]
    [MemberData(nameof(TlsModes))]
    public void EachPod_MountsOnlyItsOwnKey(string mode)
    {
        var docs = RenderMode(mode);
        var lepton = PodSpec(docs, "lepton").Seq("volumes").Single(v => v.Str("name") == "tls").Str("secret", "secretName");
        var scheduler = PodSpec(docs, "lepton-scheduler").Seq("volumes").Single(v => v.Str("name") == "tls").Str("secret", "secretName");

        Assert.NotEqual(lepton, scheduler);
        var mounted = docs.PodSpecs().SelectMany(p => p.PodSpec.Seq("volumes")).Select(v => v.Str("secret", "secretName")).OfType<string>().ToList();
        Assert.DoesNotContain("lepton-ca", mounted);
    }

    [Fact]
    public void Generated_HookJobEnsuresTheSecretsWithItsOwnNarrowRole()
    {
        var docs = chart.Render();
        var job = docs.Single(d => d.Kind() == "Job");
        var args = job.Get("spec", "template", "spec")!.Seq("containers").Single().Seq("args").Select(a => ((YamlScalarNode)a).Value).ToList();
        var account = job.Str("spec", "template", "spec", "serviceAccountName");
        var role = docs.Single(d => d.Kind() == "Role" && d.Name() == "lepton-certs");
        var binding = docs.Single(d => d.Kind() == "RoleBinding" && d.Name() == "lepton-certs");

        Assert.Equal(["certs", "ensure", "--in-cluster"], args.Take(3));
        Assert.Contains("--ca-secret=lepton-ca", args);
        Assert.Contains("--server-secret=lepton-server-tls", args);
        Assert.Contains("--client-secret=lepton-scheduler-tls", args);
        Assert.Contains("--service=lepton", args);
        Assert.Contains("--client-identity=lepton-scheduler", args);
        // Before install and upgrade, never at template time (no `lookup`).
        foreach (var hooked in new[] { job, role, binding, docs.Single(d => d.Kind() == "ServiceAccount" && d.Name() == "lepton-certs") })
        {
            Assert.Equal("pre-install,pre-upgrade", hooked.Str("metadata", "annotations", "helm.sh/hook"));
        }

        Assert.NotEqual(PodSpec(docs, "lepton").Str("serviceAccountName"), account);
        Assert.Equal(account, binding.Seq("subjects").Single().Str("name"));
        var rules = role.Seq("rules").ToList();
        Assert.All(rules, r => Assert.Equal(["secrets"], r.Seq("resources").Select(x => ((YamlScalarNode)x).Value)));
        Assert.Equal(["create"], rules.Single(r => r.Get("resourceNames") is null).Seq("verbs").Select(x => ((YamlScalarNode)x).Value));
        var get = rules.Single(r => r.Get("resourceNames") is not null);
        Assert.Equal(["get"], get.Seq("verbs").Select(x => ((YamlScalarNode)x).Value));
        Assert.Equal(["lepton-ca", "lepton-server-tls", "lepton-scheduler-tls"], get.Seq("resourceNames").Select(x => ((YamlScalarNode)x).Value));
        Assert.DoesNotContain(docs, d => d.Str("apiVersion")?.StartsWith("cert-manager.io", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Lepton_ServiceAccountHasNoPermissionOnSecrets()
    {
        var docs = chart.Render();
        var account = PodSpec(docs, "lepton").Str("serviceAccountName");
        var roles = docs.Where(d => d.Kind() is "RoleBinding" or "ClusterRoleBinding")
            .Where(b => b.Seq("subjects").Any(s => s.Str("name") == account))
            .Select(b => b.Str("roleRef", "name"))
            .ToHashSet();

        var resources = docs.Where(d => d.Kind() is "Role" or "ClusterRole" && roles.Contains(d.Name()))
            .SelectMany(r => r.Seq("rules")).SelectMany(r => r.Seq("resources")).Select(x => ((YamlScalarNode)x).Value);

        Assert.DoesNotContain("secrets", resources);
    }

    [Fact]
    public void CertManager_SelfSignedRootCaIssuerAndServerAndClientCertificates()
    {
        var docs = chart.Render(CertManager);
        var certificates = docs.Where(d => d.Kind() == "Certificate").ToDictionary(d => d.Name());
        var issuers = docs.Where(d => d.Kind() == "Issuer").ToDictionary(d => d.Name());

        Assert.NotNull(issuers["lepton-selfsigned"].Get("spec", "selfSigned"));
        Assert.Equal("true", certificates["lepton-ca"].Str("spec", "isCA"));
        Assert.Equal("lepton-selfsigned", certificates["lepton-ca"].Str("spec", "issuerRef", "name"));
        Assert.Equal(certificates["lepton-ca"].Str("spec", "secretName"), issuers["lepton-ca"].Str("spec", "ca", "secretName"));
        var server = certificates["lepton-server"];
        var client = certificates["lepton-scheduler"];
        Assert.Equal("lepton-server-tls", server.Str("spec", "secretName"));
        Assert.Contains("lepton.lepton-system.svc", server.Seq("spec", "dnsNames").Select(x => ((YamlScalarNode)x).Value));
        Assert.Contains("server auth", server.Seq("spec", "usages").Select(x => ((YamlScalarNode)x).Value));
        Assert.Equal("lepton-scheduler-tls", client.Str("spec", "secretName"));
        Assert.Equal(["lepton-scheduler"], client.Seq("spec", "dnsNames").Select(x => ((YamlScalarNode)x).Value));
        Assert.Contains("client auth", client.Seq("spec", "usages").Select(x => ((YamlScalarNode)x).Value));
        Assert.All(new[] { server, client }, c => Assert.Equal("lepton-ca", c.Str("spec", "issuerRef", "name")));
        Assert.DoesNotContain(docs, d => d.Kind() == "Job");
    }

    [Fact]
    public void CertManager_OwnIssuer_UsedForBothCertificatesAndNoChartCa()
    {
        var docs = chart.Render("tls.mode=certManager", "tls.certManager.issuerRef.name=corp-ca", "tls.certManager.issuerRef.kind=ClusterIssuer");

        Assert.DoesNotContain(docs, d => d.Kind() == "Issuer");
        var certificates = docs.Where(d => d.Kind() == "Certificate").ToList();
        Assert.Equal(2, certificates.Count);
        Assert.All(certificates, c => Assert.Equal(("corp-ca", "ClusterIssuer"), (c.Str("spec", "issuerRef", "name"), c.Str("spec", "issuerRef", "kind"))));
    }

    [Fact]
    public void Existing_WithoutSecretNames_FailsNamingTheValue()
    {
        var result = chart.Run(chart.Helm, "template", "lepton", Path.Combine(chart.RepoRoot, "charts", "lepton"), "--set", "tls.mode=existing");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("tls.existing.", result.Output, StringComparison.Ordinal);
        Assert.Contains("SecretName is required when tls.mode is existing", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Disabled_PlainHttpWithTheSamePortSplitAndNoCertificates()
    {
        var docs = chart.Render(Plain);
        var extender = Extender(docs);
        var lepton = PodSpec(docs, "lepton");
        var container = lepton.Seq("containers").Single();
        var args = container.Seq("args").Select(a => ((YamlScalarNode)a).Value).ToList();

        Assert.StartsWith("http://lepton.lepton-system.svc:8888", extender.Str("urlPrefix"), StringComparison.Ordinal);
        Assert.Null(extender.Get("enableHTTPS"));
        Assert.Null(extender.Get("tlsConfig"));
        Assert.Contains("--urls=http://0.0.0.0:8888", args);
        Assert.DoesNotContain(args, a => a!.StartsWith("--tls-", StringComparison.Ordinal));
        Assert.DoesNotContain(docs.PodSpecs(), p => p.PodSpec.Seq("volumes").Any(v => v.Str("name") == "tls"));
        Assert.DoesNotContain(docs, d => d.Kind() is "Job" or "Certificate" or "Issuer");
        AssertProbesAndScrapeOnMetricsPort(docs, container);
    }

    [Theory]
    [InlineData("generated")]
    [InlineData("plain")]
    public void NetworkPolicy_ExtenderPortOnlyFromTheSchedulerAndMetricsPortOnlyFromAllowedNamespaces(string mode)
    {
        var docs = mode == "plain" ? chart.Render(Plain) : chart.Render();
        var policy = docs.Single(d => d.Kind() == "NetworkPolicy");
        var rules = policy.Seq("spec", "ingress").ToList();

        Assert.Equal(2, rules.Count);
        var extender = rules.Single(r => r.Seq("ports").Single().Str("port") == "extender");
        var metrics = rules.Single(r => r.Seq("ports").Single().Str("port") == "metrics");
        var scheduler = Assert.Single(extender.Seq("from"));
        Assert.Null(scheduler.Get("namespaceSelector"));
        Assert.Equal("scheduler", scheduler.Str("podSelector", "matchLabels", "app.kubernetes.io/component"));
        var allowed = Assert.Single(metrics.Seq("from"));
        Assert.Null(allowed.Get("podSelector"));
        Assert.Equal("allowed", allowed.Str("namespaceSelector", "matchLabels", "lepton.ai/metrics"));
    }

    [Fact]
    public void ServiceMonitor_ScrapesThePlainMetricsPortOfEveryReplica()
    {
        var docs = chart.Render("metrics.serviceMonitor.enabled=true");
        var monitor = docs.Single(d => d.Kind() == "ServiceMonitor" && d.Name() == "lepton");
        var replicas = docs.Single(d => d.Kind() == "Service" && d.Name() == "lepton-replicas");
        var leader = docs.Single(d => d.Kind() == "Service" && d.Name() == "lepton");
        var endpoint = monitor.Seq("spec", "endpoints").Single();

        Assert.Equal(("metrics", "http"), (endpoint.Str("port"), endpoint.Str("scheme")));
        Assert.Null(endpoint.Get("tlsConfig"));
        Assert.Equal(("metrics", "9090"), (replicas.Seq("spec", "ports").Single().Str("name"), replicas.Seq("spec", "ports").Single().Str("port")));
        Assert.Equal(("extender", "8888"), (leader.Seq("spec", "ports").Single().Str("name"), leader.Seq("spec", "ports").Single().Str("port")));
    }

    private IReadOnlyList<YamlMappingNode> RenderMode(string mode) => mode switch
    {
        "certManager" => chart.Render(CertManager),
        "existing" => chart.Render(Existing),
        _ => chart.Render(),
    };

    private static void AssertProbesAndScrapeOnMetricsPort(IReadOnlyList<YamlMappingNode> docs, YamlNode container)
    {
        var metricsPort = container.Seq("ports").Single(p => p.Str("name") == "metrics").Str("containerPort");
        Assert.Equal("9090", metricsPort);
        foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
        {
            Assert.Equal(("metrics", "HTTP"), (container.Str(probe, "httpGet", "port"), container.Str(probe, "httpGet", "scheme")));
        }

        var annotations = docs.Single(d => d.Kind() == "Deployment" && d.Name() == "lepton").Get("spec", "template", "metadata", "annotations")!;
        Assert.Equal(metricsPort, annotations.Str("prometheus.io/port"));
    }

    private static YamlNode PodSpec(IReadOnlyList<YamlMappingNode> docs, string deployment) =>
        docs.Single(d => d.Kind() == "Deployment" && d.Name() == deployment).Get("spec", "template", "spec")!;

    private static YamlNode Extender(IReadOnlyList<YamlMappingNode> docs)
    {
        var configMap = docs.Single(d => d.Kind() == "ConfigMap" && d.Name() == "lepton-scheduler");
        var stream = new YamlStream();
        stream.Load(new StringReader(configMap.Str("data", "config.yaml")!));
        return stream.Documents.Single().RootNode.Seq("extenders").Single();
    }
}
