using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Selectors;

namespace Lepton.Testing.KubeApiServer.Tests.Selectors;

public sealed class LabelSelectorTests
{
    private static readonly JsonObject Labels = new() { ["app"] = "trainer", ["tier"] = "gpu", ["rank"] = "3" };

    [Theory]
    [InlineData("", true)]
    [InlineData("app=trainer", true)]
    [InlineData("app==trainer", true)]
    [InlineData("app!=trainer", false)]
    [InlineData("app=", false)]
    [InlineData("missing!=x", true)]
    [InlineData("app=trainer,tier=cpu", false)]
    [InlineData("tier in (cpu, gpu)", true)]
    [InlineData("tier notin (gpu)", false)]
    [InlineData("missing notin (gpu)", true)]
    [InlineData("app", true)]
    [InlineData("!app", false)]
    [InlineData("!missing", true)]
    [InlineData("rank>2", true)]
    [InlineData("rank<3", false)]
    [InlineData("tier in (gpu),app in (trainer,server)", true)]
    public void Matches_StringSelector_FollowsLabelsPackageSemantics(string selector, bool expected)
    {
        var sut = LabelSelector.Parse(selector);

        Assert.Equal(expected, sut.Matches(Labels));
    }

    [Theory]
    [InlineData("in (a)")]
    [InlineData("-bad=x")]
    [InlineData("a b=c")]
    public void Parse_Malformed_ThrowsFormatException(string selector)
    {
        Assert.Throws<FormatException>(() => LabelSelector.Parse(selector));
    }

    [Fact]
    public void FromObject_MatchLabelsAndExpressions_AllMustHold()
    {
        var sut = LabelSelector.FromObject((JsonObject)JsonNode.Parse("""
            {"matchLabels":{"app":"trainer"},"matchExpressions":[
              {"key":"tier","operator":"In","values":["gpu","tpu"]},
              {"key":"spot","operator":"DoesNotExist"}]}
            """)!);

        Assert.True(sut.Matches(Labels));
        Assert.False(sut.Matches(new JsonObject { ["app"] = "trainer", ["tier"] = "gpu", ["spot"] = "true" }));
    }

    [Fact]
    public void FromObject_NullSelector_MatchesNothingWhileEmptyMatchesEverything()
    {
        Assert.False(LabelSelector.FromObject(null).Matches(Labels));
        Assert.True(LabelSelector.FromObject([]).Matches(Labels));
    }
}
