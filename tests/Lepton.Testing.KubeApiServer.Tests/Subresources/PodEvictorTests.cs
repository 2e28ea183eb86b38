using System.Net;
using k8s;
using k8s.Models;
using Lepton.Testing.KubeApiServer.Tests.Support;

namespace Lepton.Testing.KubeApiServer.Tests.Subresources;

public sealed class PodEvictorTests
{
    private static readonly Dictionary<string, string> AppLabels = new() { ["app"] = "trainer" };

    [Fact]
    public async Task CreateNamespacedPodEviction_BudgetAllowsNoDisruption_Returns429WithDisruptionBudgetCause()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        sut.Seed(Make.Pod("p1").Label("app", "trainer").OnNode("n1").Running().ToJson());
        await client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Make.Pdb("pdb", AppLabels, minAvailable: 1), "default");

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.TooManyRequests,
            () => client.CoreV1.CreateNamespacedPodEvictionAsync(Make.Eviction("p1"), "p1", "default"));

        Assert.Equal("TooManyRequests", (string?)status["reason"]);
        Assert.Equal("Cannot evict pod as it would violate the pod's disruption budget.", (string?)status["message"]);
        var cause = status["details"]!["causes"]![0]!;
        Assert.Equal("DisruptionBudget", (string?)cause["reason"]);
        Assert.Equal("The disruption budget pdb needs 1 healthy pods and has 1 currently", (string?)cause["message"]);
        Assert.NotNull(sut.Get("pods", "default", "p1"));
    }

    [Fact]
    public async Task CreateNamespacedPodEviction_BudgetAllowsOne_DeletesPodAndConsumesTheDisruption()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        sut.Seed(Make.Pod("p1").Label("app", "trainer").OnNode("n1").Running().ToJson());
        sut.Seed(Make.Pod("p2").Label("app", "trainer").OnNode("n1").Running().ToJson());
        await client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Make.Pdb("pdb", AppLabels, minAvailable: 1), "default");
        var before = await client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("pdb", "default");

        using var response = await client.CoreV1.CreateNamespacedPodEvictionWithHttpMessagesAsync(Make.Eviction("p1"), "p1", "default");
        var after = await client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("pdb", "default");

        Assert.Equal(HttpStatusCode.Created, response.Response.StatusCode);
        Assert.Equal(1, before.Status.DisruptionsAllowed);
        Assert.Null(sut.Get("pods", "default", "p1"));
        Assert.Equal((0, 1, 1), (after.Status.DisruptionsAllowed, after.Status.CurrentHealthy, after.Status.ExpectedPods));
        await ApiAssert.FailsWithAsync(HttpStatusCode.TooManyRequests,
            () => client.CoreV1.CreateNamespacedPodEvictionAsync(Make.Eviction("p2"), "p2", "default"));
    }

    [Fact]
    public async Task CreateNamespacedPodEviction_DryRunAllowed_AnswersCreatedAndKeepsPodAndBudget()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        sut.Seed(Make.Pod("p1").Label("app", "trainer").OnNode("n1").Running().ToJson());
        sut.Seed(Make.Pod("p2").Label("app", "trainer").OnNode("n1").Running().ToJson());
        await client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Make.Pdb("pdb", AppLabels, minAvailable: 1), "default");
        var eviction = Make.Eviction("p1");
        eviction.DeleteOptions = new V1DeleteOptions { DryRun = ["All"] };

        using var response = await client.CoreV1.CreateNamespacedPodEvictionWithHttpMessagesAsync(eviction, "p1", "default");
        var after = await client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("pdb", "default");

        Assert.Equal(HttpStatusCode.Created, response.Response.StatusCode);
        Assert.NotNull(sut.Get("pods", "default", "p1"));
        Assert.Equal(1, after.Status.DisruptionsAllowed);
        Assert.Null(after.Status.DisruptedPods);
    }

    [Fact]
    public async Task CreateNamespacedPodEviction_DryRunBlockedByBudget_Returns429AndKeepsPod()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        sut.Seed(Make.Pod("p1").Label("app", "trainer").OnNode("n1").Running().ToJson());
        await client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Make.Pdb("pdb", AppLabels, minAvailable: 1), "default");
        var eviction = Make.Eviction("p1");
        eviction.DeleteOptions = new V1DeleteOptions { DryRun = ["All"] };

        await ApiAssert.FailsWithAsync(HttpStatusCode.TooManyRequests,
            () => client.CoreV1.CreateNamespacedPodEvictionAsync(eviction, "p1", "default"));

        Assert.NotNull(sut.Get("pods", "default", "p1"));
    }

    [Fact]
    public async Task CreateNamespacedPodEviction_PendingPod_DeletedWithoutBudgetCheck()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Label("app", "trainer").Build(), "default");
        await client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Make.Pdb("pdb", AppLabels, minAvailable: 5), "default");

        await client.CoreV1.CreateNamespacedPodEvictionAsync(Make.Eviction("p1"), "p1", "default");

        Assert.Null(sut.Get("pods", "default", "p1"));
    }

    [Fact]
    public async Task CreateNamespacedPodEviction_TwoMatchingBudgets_Returns500()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        sut.Seed(Make.Pod("p1").Label("app", "trainer").Running().ToJson());
        await client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Make.Pdb("one", AppLabels, minAvailable: 0), "default");
        await client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Make.Pdb("two", AppLabels, minAvailable: 0), "default");

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.InternalServerError,
            () => client.CoreV1.CreateNamespacedPodEvictionAsync(Make.Eviction("p1"), "p1", "default"));

        Assert.Contains("more than one PodDisruptionBudget", (string?)status["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateNamespacedPodEviction_BudgetNotObservedYet_Returns429RetryAfter10()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock(), o => o.EnableDisruptionBudgetController = false);
        using var client = sut.Client();
        sut.Seed(Make.Pod("p1").Label("app", "trainer").Running().ToJson());
        await client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Make.Pdb("pdb", AppLabels, minAvailable: 0), "default");

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.TooManyRequests,
            () => client.CoreV1.CreateNamespacedPodEvictionAsync(Make.Eviction("p1"), "p1", "default"));

        Assert.Equal(10, (int?)status["details"]!["retryAfterSeconds"]);
        sut.RecomputeDisruptionBudgets();
        await client.CoreV1.CreateNamespacedPodEvictionAsync(Make.Eviction("p1"), "p1", "default");
        Assert.Null(sut.Get("pods", "default", "p1"));
    }

    [Fact]
    public async Task CreateNamespacedPodEviction_NameMismatch_Returns400()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        sut.Seed(Make.Pod("p1").Running().ToJson());

        await ApiAssert.FailsWithAsync(HttpStatusCode.BadRequest,
            () => client.CoreV1.CreateNamespacedPodEvictionAsync(Make.Eviction("p2"), "p1", "default"));
    }

    [Fact]
    public async Task CreateNamespacedPodEviction_PodWithFinalizer_MarksItDeleting()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        sut.Seed(Make.Pod("p1").Label("app", "trainer").Finalizer("lepton.ai/drain").Running().ToJson());
        sut.Seed(Make.Pod("p2").Label("app", "trainer").Running().ToJson());
        await client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Make.Pdb("pdb", AppLabels, minAvailable: 1), "default");

        await client.CoreV1.CreateNamespacedPodEvictionAsync(Make.Eviction("p1"), "p1", "default");
        var pod = await client.CoreV1.ReadNamespacedPodAsync("p1", "default");
        var pdb = await client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("pdb", "default");

        Assert.NotNull(pod.Metadata.DeletionTimestamp);
        Assert.Equal((0, 1), (pdb.Status.DisruptionsAllowed, pdb.Status.CurrentHealthy));
    }
}
