using System.Net;
using k8s;
using k8s.Models;
using Lepton.Testing.KubeApiServer.Tests.Support;

namespace Lepton.Testing.KubeApiServer.Tests.Storage.Strategies;

/// <summary>Pod rules: scheduling gates and pod-spec immutability.</summary>
public sealed class PodStrategyTests
{
    [Fact]
    public async Task CreateNamespacedPod_Gated_ReportsSchedulingGatedCondition()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();

        var pod = await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Gate("lepton.ai/gang").Build(), "default");

        var condition = Assert.Single(pod.Status.Conditions);
        Assert.Equal(("PodScheduled", "False", "SchedulingGated"), (condition.Type, condition.Status, condition.Reason));
    }

    [Fact]
    public async Task CreateNamespacedPod_PriorityClassName_ResolvesPriorityAndPreemptionPolicy()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        await client.SchedulingV1.CreatePriorityClassAsync(new V1PriorityClass { Metadata = new V1ObjectMeta { Name = "high" }, Value = 1000 });
        var pod = Make.Pod("p1").Build();
        pod.Spec.PriorityClassName = "high";

        var created = await client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        Assert.Equal((1000, "PreemptLowerPriority"), (created.Spec.Priority, created.Spec.PreemptionPolicy));
    }

    [Fact]
    public async Task CreateNamespacedPod_UnknownPriorityClass_Returns403()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        var pod = Make.Pod("p1").Build();
        pod.Spec.PriorityClassName = "missing";

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.Forbidden, () => client.CoreV1.CreateNamespacedPodAsync(pod, "default"));

        Assert.Contains("no PriorityClass with name missing was found", (string?)status["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateNamespacedPod_PriorityDiffersFromClass_Returns403()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        await client.SchedulingV1.CreatePriorityClassAsync(new V1PriorityClass { Metadata = new V1ObjectMeta { Name = "high" }, Value = 1000 });
        var pod = Make.Pod("p1").Build();
        pod.Spec.PriorityClassName = "high";
        pod.Spec.Priority = 5;

        await ApiAssert.FailsWithAsync(HttpStatusCode.Forbidden, () => client.CoreV1.CreateNamespacedPodAsync(pod, "default"));

        Assert.Null(sut.Get("pods", "default", "p1"));
    }

    [Fact]
    public async Task PatchNamespacedPod_RemoveGate_Succeeds()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Gate("lepton.ai/gang").Gate("lepton.ai/quota").Build(), "default");

        var pod = await client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("""[{"op":"remove","path":"/spec/schedulingGates/0"}]""", V1Patch.PatchType.JsonPatch), "p1", "default");

        Assert.Equal(["lepton.ai/quota"], pod.Spec.SchedulingGates.Select(g => g.Name));
    }

    [Fact]
    public async Task PatchNamespacedPod_AddGate_Returns422Forbidden()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Build(), "default");

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.UnprocessableEntity, () => client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("""{"spec":{"schedulingGates":[{"name":"lepton.ai/gang"}]}}""", V1Patch.PatchType.StrategicMergePatch), "p1", "default"));

        Assert.Equal("Pod \"p1\" is invalid: spec.schedulingGates: Forbidden: only deletion is allowed, but found new scheduling gate 'lepton.ai/gang'",
            (string?)status["message"]);
        Assert.Equal("FieldValueForbidden", (string?)status["details"]!["causes"]![0]!["reason"]);
    }

    [Fact]
    public async Task PatchNamespacedPod_ChangeNodeName_Returns422()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Build(), "default");

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.UnprocessableEntity, () => client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("""{"spec":{"nodeName":"n1"}}""", V1Patch.PatchType.MergePatch), "p1", "default"));

        Assert.Contains("pod updates may not change fields other than", (string?)status["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PatchNamespacedPod_NodeSelectorWhileGated_Succeeds()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Gate("lepton.ai/gang").Build(), "default");

        var pod = await client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("""{"spec":{"nodeSelector":{"kubernetes.io/hostname":"n1"}}}""", V1Patch.PatchType.MergePatch), "p1", "default");

        Assert.Equal("n1", pod.Spec.NodeSelector["kubernetes.io/hostname"]);
    }

    [Fact]
    public async Task CreateNamespacedPod_GatedWithNodeName_Returns422()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();

        await ApiAssert.FailsWithAsync(HttpStatusCode.UnprocessableEntity,
            () => client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Gate("lepton.ai/gang").OnNode("n1").Build(), "default"));
    }
}
