using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Lepton.Testing.KubeApiServer.Tests.Support;

namespace Lepton.Testing.KubeApiServer.Tests;

public sealed class KubeApiTestServerTests
{
    [Fact]
    public async Task CreateNamespacedPod_NewPod_SetsSystemMetadataAndPendingStatus()
    {
        var time = TestServer.NewClock();
        await using var sut = await TestServer.StartAsync(time);
        using var client = sut.Client();

        var created = await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Running().Build(), "default");

        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.Equal(TestServer.Epoch.UtcDateTime, created.Metadata.CreationTimestamp);
        Assert.Equal(1, created.Metadata.Generation);
        Assert.Equal(sut.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), created.Metadata.ResourceVersion);
        Assert.Equal("Pending", created.Status.Phase);
        Assert.Equal("default-scheduler", created.Spec.SchedulerName);
    }

    [Fact]
    public async Task ReadNamespacedPod_AfterCreate_ReturnsStoredPod()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Label("app", "a").Build(), "default");

        var read = await client.CoreV1.ReadNamespacedPodAsync("p1", "default");

        Assert.Equal("a", read.Metadata.Labels["app"]);
        Assert.Equal("busybox", read.Spec.Containers[0].Image);
    }

    [Fact]
    public async Task CreateNamespacedPod_NameTaken_Returns409AlreadyExists()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Build(), "default");

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.Conflict,
            () => client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Build(), "default"));

        Assert.Equal("AlreadyExists", (string?)status["reason"]);
        Assert.Equal("pods \"p1\" already exists", (string?)status["message"]);
        Assert.Equal("pods", (string?)status["details"]!["kind"]);
    }

    [Fact]
    public async Task CreateNamespacedPod_GenerateName_AppendsRandomSuffix()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        var pod = Make.Pod("ignored").Build();
        pod.Metadata.Name = null;
        pod.Metadata.GenerateName = "worker-";

        var created = await client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        Assert.Matches("^worker-[bcdfghjklmnpqrstvwxz2456789]{5}$", created.Metadata.Name);
    }

    [Fact]
    public async Task CreateNamespacedPod_MissingNamespace_Returns404()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.NotFound,
            () => client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1", "nowhere").Build(), "nowhere"));

        Assert.Equal("namespaces \"nowhere\" not found", (string?)status["message"]);
    }

    [Fact]
    public async Task CreateNamespacedPod_NoContainers_Returns422Invalid()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        var pod = Make.Pod("p1").Build();
        pod.Spec.Containers.Clear();

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.UnprocessableEntity,
            () => client.CoreV1.CreateNamespacedPodAsync(pod, "default"));

        Assert.Equal("Invalid", (string?)status["reason"]);
        Assert.Equal("spec.containers", (string?)status["details"]!["causes"]![0]!["field"]);
    }

    [Fact]
    public async Task ListPodForAllNamespaces_PodsInTwoNamespaces_ReturnsBothWithListResourceVersion()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("a", "kube-system").Build(), "kube-system");
        await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("b").Build(), "default");

        var list = await client.CoreV1.ListPodForAllNamespacesAsync();

        Assert.Equal(["b", "a"], list.Items.Select(p => p.Metadata.Name));
        Assert.Equal(sut.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), list.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Seed_RunningPodOnNode_IsStoredAsIsAndListable()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();

        var seeded = sut.Seed(Make.Pod("p1").OnNode("n1").Running().ToJson());

        var read = await client.CoreV1.ReadNamespacedPodAsync("p1", "default");
        Assert.Equal("Running", read.Status.Phase);
        Assert.Equal("n1", read.Spec.NodeName);
        Assert.Equal((string?)seeded["metadata"]!["uid"], read.Metadata.Uid);
    }

    [Fact]
    public async Task Seed_YamlWithSeveralDocuments_SeedsEach()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());

        var seeded = sut.Seed("""
            apiVersion: v1
            kind: Node
            metadata: {name: n1, labels: {nvidia.com/gpu.count: "8"}}
            ---
            apiVersion: v1
            kind: Node
            metadata: {name: n2}
            """);

        Assert.Equal(2, seeded.Count);
        Assert.Equal(["n1", "n2"], sut.List("nodes").Select(n => (string?)n["metadata"]!["name"]));
        Assert.Equal("8", (string?)sut.Get("no", null, "n1")!["metadata"]!["labels"]!["nvidia.com/gpu.count"]);
    }

    [Fact]
    public async Task Modify_PodStatus_BumpsResourceVersionWithoutGeneration()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        sut.Seed(Make.Pod("p1").ToJson());
        var before = sut.ResourceVersion;

        var modified = sut.Modify("pods", "default", "p1", pod => pod["status"] = new JsonObject { ["phase"] = "Running" })!;

        Assert.Equal(before + 1, sut.ResourceVersion);
        Assert.Equal("Running", (string?)modified["status"]!["phase"]);
        Assert.Equal(1, (long?)modified["metadata"]!["generation"]);
    }

    [Fact]
    public async Task GetApiVersions_Discovery_ListsCoreAndNamedGroups()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();

        var groups = await client.Apis.GetAPIVersionsAsync();
        var core = await client.CoreV1.GetAPIResourcesAsync();

        Assert.Contains(groups.Groups, g => g.Name == "coordination.k8s.io");
        Assert.Contains(groups.Groups, g => g.Name == "policy");
        var pods = Assert.Single(core.Resources, r => r.Name == "pods");
        Assert.Equal(["po"], pods.ShortNames);
        Assert.Contains(core.Resources, r => r.Name == "pods/binding" && r.Kind == "Binding");
        Assert.Contains(core.Resources, r => r.Name == "pods/eviction" && r.Group == "policy" && r.Version == "v1");
        Assert.Contains(core.Resources, r => r.Name == "nodes" && r.Namespaced == false);
    }

    [Fact]
    public async Task WriteKubeconfig_ClientBuiltFromFile_ReachesServer()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        var path = sut.WriteKubeconfig(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "kubeconfig"));
        try
        {
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));

            var namespaces = await client.CoreV1.ListNamespaceAsync();

            Assert.Equal(["default", "kube-node-lease", "kube-public", "kube-system"], namespaces.Items.Select(n => n.Metadata.Name));
            Assert.All(namespaces.Items, n => Assert.Equal("Active", n.Status.Phase));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public async Task DeleteNamespace_WithContent_RemovesContentThenNamespace()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team" } });
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cm" } }, "team");

        await client.CoreV1.DeleteNamespaceAsync("team");

        Assert.Null(sut.Get("configmaps", "team", "cm"));
        Assert.Null(sut.Get("namespaces", null, "team"));
    }
}
