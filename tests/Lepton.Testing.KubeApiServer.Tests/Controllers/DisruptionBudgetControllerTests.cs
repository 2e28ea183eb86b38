using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Controllers;
using Lepton.Testing.KubeApiServer.Tests.Support;

namespace Lepton.Testing.KubeApiServer.Tests.Controllers;

public sealed class DisruptionBudgetControllerTests
{
    [Theory]
    [InlineData("minAvailable", "2", 4, 3, 2, 1)]
    [InlineData("minAvailable", "50%", 4, 3, 2, 1)]
    [InlineData("minAvailable", "51%", 4, 3, 3, 0)]
    [InlineData("maxUnavailable", "1", 4, 4, 3, 1)]
    [InlineData("maxUnavailable", "1", 4, 3, 3, 0)]
    [InlineData("maxUnavailable", "25%", 4, 4, 3, 1)]
    [InlineData("minAvailable", "5", 4, 4, 5, 0)]
    public void ComputeStatus_Budget_MatchesDisruptionControllerArithmetic(string field, string value, int pods, int running, int desired, int allowed)
    {
        var pdb = Pdb(field, value);
        var podList = Enumerable.Range(0, pods)
            .Select(i => i < running ? Make.Pod($"p{i}").Label("app", "x").Running().ToJson() : Make.Pod($"p{i}").Label("app", "x").ToJson())
            .ToArray();

        var status = DisruptionBudgetController.ComputeStatus(pdb, podList, TestServer.Epoch);

        Assert.Equal(pods, (int?)status["expectedPods"]);
        Assert.Equal(running, (int?)status["currentHealthy"]);
        Assert.Equal(desired, (int?)status["desiredHealthy"]);
        Assert.Equal(allowed, (int?)status["disruptionsAllowed"]);
        Assert.Equal(3, (long?)status["observedGeneration"]);
        Assert.Equal(allowed > 0 ? "SufficientPods" : "InsufficientPods", (string?)status["conditions"]![0]!["reason"]);
    }

    [Fact]
    public void ComputeStatus_NotReadyAndOtherPods_CountsOnlyReadyMatchingPods()
    {
        var notReady = Make.Pod("not-ready").Label("app", "x").Running().ToJson();
        notReady["status"]!["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "False" });
        var other = Make.Pod("other").Label("app", "y").Running().ToJson();
        var ready = Make.Pod("ready").Label("app", "x").Running().ToJson();

        var status = DisruptionBudgetController.ComputeStatus(Pdb("minAvailable", "1"), [notReady, other, ready], TestServer.Epoch);

        Assert.Equal((2, 1, 0), ((int?)status["expectedPods"], (int?)status["currentHealthy"], (int?)status["disruptionsAllowed"]));
    }

    private static JsonObject Pdb(string field, string value)
    {
        JsonNode budget = int.TryParse(value, out var count) ? JsonValue.Create(count) : JsonValue.Create(value);
        return new JsonObject
        {
            ["apiVersion"] = "policy/v1",
            ["kind"] = "PodDisruptionBudget",
            ["metadata"] = new JsonObject { ["name"] = "pdb", ["namespace"] = "default", ["generation"] = 3 },
            ["spec"] = new JsonObject
            {
                [field] = budget,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "x" } },
            },
        };
    }
}
