using System.Text.Json;
using Lepton.Extender.Pods;
using Lepton.Extender.Verbs;
using Lepton.Kubernetes;
using Lepton.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Lepton.Extender.Tests.Pods;

public sealed class PodReaderTests
{
    private readonly PendingPodCache _cache = new(new FakeTimeProvider(), TimeSpan.FromMinutes(5), 100);

    [Fact]
    public void Read_SharePod_MapsMilliAndRemembersIt()
    {
        var sut = new PodReader(new KubeObjectMapper(), _cache);

        var pod = sut.Read(Make.PodJson("p").Share(300).Cpu("500m").ToElement());

        Assert.Equal((1, 300, 500L), (pod.GpuCount, pod.GpuMilli, pod.CpuMilli));
        Assert.True(_cache.TryGet("uid-p", out _));
    }

    [Fact]
    public void Read_SameUidAndResourceVersion_ReturnsCachedDemand()
    {
        var sut = new PodReader(new KubeObjectMapper(), _cache);
        var first = sut.Read(Make.PodJson("p").Gpus(1).ToElement());

        var second = sut.Read(Make.PodJson("p").Gpus(1).ToElement());

        Assert.Same(first, second);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("5")]
    [InlineData("\"pod\"")]
    [InlineData("""{"metadata":{"name":5}}""")]
    [InlineData("""{"spec":{"containers":{}}}""")]
    public void Read_NotAPod_ThrowsRequestException(string json)
    {
        var sut = new PodReader(new KubeObjectMapper(), _cache);

        Assert.Throws<ExtenderRequestException>(() => sut.Read(JsonDocument.Parse(json).RootElement));
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"p","uid":"u1"},"spec":{"containers":[{"name":"c","resources":{"limits":{"nvidia.com/gpu":true}}}]}}""", "Pod.spec.containers[0].resources.limits.nvidia.com/gpu: expected a quantity string, not a boolean")]
    [InlineData("""{"metadata":{"name":"p","uid":"u2","labels":[]},"spec":{"containers":[]}}""", "Pod.metadata.labels: expected ")]
    [InlineData("""{"metadata":{"name":5}}""", "Pod.metadata.name: expected a string, not a number")]
    public void Read_WrongTypeInAFieldLeptonMaps_RequestExceptionInTheProtocolsWords(string json, string expected)
    {
        var sut = new PodReader(new KubeObjectMapper(), _cache);

        var e = Assert.Throws<ExtenderRequestException>(() => sut.Read(JsonDocument.Parse(json).RootElement));

        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FieldsLeptonDoesNotMap_NotLookedAt()
    {
        // The pod is read in place: env, volumes and the like are neither deserialised nor checked.
        var sut = new PodReader(new KubeObjectMapper(), _cache);
        var json = """{"metadata":{"name":"p","uid":"u3"},"spec":{"volumes":"not-a-list","containers":[{"name":"c","env":7,"resources":{"requests":{"cpu":"250m"}}}]}}""";

        var pod = sut.Read(JsonDocument.Parse(json).RootElement);

        Assert.Equal(250, pod.CpuMilli);
    }

    [Fact]
    public void Read_Missing_ThrowsRequestException()
    {
        Assert.Throws<ExtenderRequestException>(() => new PodReader(new KubeObjectMapper(), _cache).Read(null));
    }

    [Fact]
    public void Read_BadQuantity_ThrowsKubeObjectException()
    {
        var sut = new PodReader(new KubeObjectMapper(), _cache);

        Assert.Throws<KubeObjectException>(() => sut.Read(Make.PodJson("p").Cpu("lots").ToElement()));
    }
}
