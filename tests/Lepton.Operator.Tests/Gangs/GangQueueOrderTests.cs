using System.Text.Json.Nodes;
using Lepton.Operator.Entities;
using Lepton.Operator.Tests.EndToEnd;

namespace Lepton.Operator.Tests.Gangs;

/// <summary>
/// The gang-admission order through the API test server (issue 14, item 4): under <c>sjf-predicted</c> three waiting
/// gangs created longest first are admitted shortest first when room frees, and the starvation guard gives a gang
/// whose wait passed its bound its creation-time place back.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class GangQueueOrderTests : IAsyncLifetime
{
    private OperatorHarness _cluster = null!;

    public async Task InitializeAsync() => _cluster = await OperatorHarness.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Admission_SjfPredicted_ShortestDeclaredDurationGoesFirstWhenRoomFrees()
    {
        await StartAsync(new Dictionary<string, string?> { ["Lepton:Operator:QueueOrder"] = "SjfPredicted" });

        var first = await WaitingThreeAndFreeTheNodeAsync();

        Assert.Equal("short", first);
    }

    [Fact]
    public async Task Admission_Fifo_FirstCreatedGoesFirstWhateverItsDuration()
    {
        await StartAsync(new Dictionary<string, string?> { ["Lepton:Operator:QueueOrder"] = "Fifo" });

        var first = await WaitingThreeAndFreeTheNodeAsync();

        Assert.Equal("long", first);
    }

    [Fact]
    public async Task Admission_SjfPredictedWithTheGuardsBoundPassed_TheLongJobCreatedFirstGoesFirst()
    {
        // A zero bound and multiple: every waiting gang is promoted at once, promoted gangs go in promotion (here
        // creation) order, so the long gang created first is no longer passed by the shorter ones.
        await StartAsync(new Dictionary<string, string?>
        {
            ["Lepton:Operator:QueueOrder"] = "SjfPredicted",
            ["Lepton:Operator:StarvationBound"] = "00:00:00",
            ["Lepton:Operator:StarvationMultiple"] = "0",
        });

        var first = await WaitingThreeAndFreeTheNodeAsync();

        Assert.Equal("long", first);
    }

    private async Task StartAsync(Dictionary<string, string?> settings)
    {
        _cluster.AddNodes(1, gpus: 8);
        await _cluster.StartOperatorAsync(settings: settings);
        await _cluster.StartClusterAsync();
    }

    /// <summary>
    /// Fills the node with a blocker gang, creates three gangs that each need the whole node (longest first, each with a
    /// declared duration its maxRuntime bounds, so the declared value orders it), waits until all three wait with their
    /// duration in status, frees the node, and answers which one is admitted first.
    /// </summary>
    private async Task<string> WaitingThreeAndFreeTheNodeAsync()
    {
        _cluster.CreateJob(OperatorHarness.JobJson("blocker", replicas: 2, gpus: 4));
        await _cluster.UntilPhaseAsync("blocker", LeptonJobPhases.Running);

        (string Name, string Declared, string Max)[] jobs = [("long", "10h", "11h"), ("medium", "5h", "6h"), ("short", "1h", "90m")];
        foreach (var (name, declared, max) in jobs)
        {
            var job = OperatorHarness.JobJson(name, replicas: 2, gpus: 4, maxRuntime: max);
            job["spec"]!.AsObject()["expectedDuration"] = declared;
            _cluster.CreateJob(job);
        }

        await _cluster.Jobs.UntilAsync(
            c => jobs.All(j => c.Get(new("default", j.Name)) is { Status: { PredictedDuration: not null } s } && s.IsConditionTrue(LeptonJobConditionTypes.Unschedulable)),
            "the three gangs wait with their declared durations in status");
        Assert.Equal(["10h", "5h", "1h"], jobs.Select(j => _cluster.Job(j.Name)!.Status!.PredictedDuration));

        _cluster.Kubelet!.Finish("default", "blocker-0");
        _cluster.Kubelet!.Finish("default", "blocker-1");
        // Admitted shows as Scheduled=True (GangAdmitted, then PodsScheduled once bound: a watch may see only the
        // second). The node holds one gang at a time, so the first admitted is the only one.
        static bool Admitted(V1Alpha1LeptonJob? job) => job?.Status?.IsConditionTrue(LeptonJobConditionTypes.Scheduled) == true;
        await _cluster.Jobs.UntilAsync(c => jobs.Any(j => Admitted(c.Get(new("default", j.Name)))), "one of the three is admitted once the blocker finishes");
        var admitted = jobs.Where(j => Admitted(_cluster.Job(j.Name))).ToList();
        Assert.Single(admitted);
        return admitted[0].Name;
    }
}
