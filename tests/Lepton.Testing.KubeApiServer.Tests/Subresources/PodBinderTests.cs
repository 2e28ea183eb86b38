using System.Net;
using k8s;
using k8s.Models;
using Lepton.Testing.KubeApiServer.Tests.Support;

namespace Lepton.Testing.KubeApiServer.Tests.Subresources;

public sealed class PodBinderTests
{
    [Fact]
    public async Task CreateNamespacedPodBinding_UnboundPod_SetsNodeNameAndPodScheduled()
    {
        var time = TestServer.NewClock();
        await using var sut = await TestServer.StartAsync(time);
        using var client = sut.Client();
        var created = await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Build(), "default");
        time.Advance(TimeSpan.FromSeconds(3));
        var binding = Make.Binding("p1", "n1");
        binding.Metadata.Uid = created.Metadata.Uid;
        binding.Metadata.Annotations = new Dictionary<string, string> { ["lepton.ai/gpu-cards"] = "0,1" };

        using var response = await client.CoreV1.CreateNamespacedPodBindingWithHttpMessagesAsync(binding, "p1", "default");
        var pod = await client.CoreV1.ReadNamespacedPodAsync("p1", "default");

        Assert.Equal(HttpStatusCode.Created, response.Response.StatusCode);
        Assert.Equal("n1", pod.Spec.NodeName);
        Assert.Equal("0,1", pod.Metadata.Annotations["lepton.ai/gpu-cards"]);
        var scheduled = Assert.Single(pod.Status.Conditions, c => c.Type == "PodScheduled");
        Assert.Equal("True", scheduled.Status);
        Assert.Equal(TestServer.Epoch.AddSeconds(3).UtcDateTime, scheduled.LastTransitionTime);
        Assert.True(long.Parse(pod.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(created.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task CreateNamespacedPodBinding_AlreadyBound_Returns409()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Build(), "default");
        await client.CoreV1.CreateNamespacedPodBindingAsync(Make.Binding("p1", "n1"), "p1", "default");

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.Conflict,
            () => client.CoreV1.CreateNamespacedPodBindingAsync(Make.Binding("p1", "n2"), "p1", "default"));

        Assert.Equal("Operation cannot be fulfilled on pods/binding \"p1\": pod p1 is already assigned to node \"n1\"", (string?)status["message"]);
    }

    [Fact]
    public async Task CreateNamespacedPodBinding_GatedPod_Returns409()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Gate("lepton.ai/gang").Build(), "default");

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.Conflict,
            () => client.CoreV1.CreateNamespacedPodBindingAsync(Make.Binding("p1", "n1"), "p1", "default"));

        Assert.Contains("has non-empty .spec.schedulingGates", (string?)status["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateNamespacedPodBinding_NameMismatch_Returns400()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Build(), "default");

        await ApiAssert.FailsWithAsync(HttpStatusCode.BadRequest,
            () => client.CoreV1.CreateNamespacedPodBindingAsync(Make.Binding("other", "n1"), "p1", "default"));
    }

    [Fact]
    public async Task CreateNamespacedPodBinding_StaleUidPrecondition_Returns409()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Build(), "default");
        var binding = Make.Binding("p1", "n1");
        binding.Metadata.Uid = "00000000-0000-0000-0000-000000000000";

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.Conflict,
            () => client.CoreV1.CreateNamespacedPodBindingAsync(binding, "p1", "default"));

        Assert.Contains("Precondition failed: UID in precondition", (string?)status["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateNamespacedPodBinding_TargetWithoutName_Returns422()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Build(), "default");

        await ApiAssert.FailsWithAsync(HttpStatusCode.UnprocessableEntity,
            () => client.CoreV1.CreateNamespacedPodBindingAsync(Make.Binding("p1", ""), "p1", "default"));
    }

    [Fact]
    public async Task CreateNamespacedBinding_LegacyBindingsResource_BindsByBodyName()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var client = sut.Client();
        await client.CoreV1.CreateNamespacedPodAsync(Make.Pod("p1").Build(), "default");

        await client.CoreV1.CreateNamespacedBindingAsync(Make.Binding("p1", "n3"), "default");

        Assert.Equal("n3", (string?)sut.Get("pods", "default", "p1")!["spec"]!["nodeName"]);
    }
}
