using System.Diagnostics;
using Lepton.Operator.Entities;
using Lepton.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Lepton.Operator.Tests.EndToEnd;

/// <summary>
/// The user's view: <c>kubectl create -f</c> an example job, then <c>kubectl get lj</c> shows its phase, and
/// <c>kubectl get lj -o wide</c> the PREDICTED column.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class KubectlTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Kubectl = "/usr/bin/kubectl";
    private readonly TempDirectory _directory = new();
    private OperatorHarness _cluster = null!;

    private string Kubeconfig => _directory.Combine("kubeconfig");

    public async Task InitializeAsync()
    {
        _cluster = await OperatorHarness.StartAsync();
        _cluster.AddNodes(1, gpus: 8);
        // A fixed predictor (1h23m), so that the prediction column shows what the operator wrote.
        await _cluster.StartOperatorAsync(configure: s => s.AddSingleton<Lepton.Scheduling.Prediction.IDurationPredictor>(new Prediction.FakeDurationPredictor(4980)));
        await _cluster.StartClusterAsync();
        _cluster.Server.WriteKubeconfig(Kubeconfig);
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _directory.Dispose();
    }

    [SkippableFact]
    public async Task KubectlCreateExampleThenGetLj_ShowsTheJobRunningOnItsNode()
    {
        Skip.IfNot(File.Exists(Kubectl), "kubectl is not installed at " + Kubectl);

        var created = await KubectlAsync("create", "-f", Crds.RepoPaths.Combine("examples", "leptonjob-training-1gpu.yaml"));
        await _cluster.UntilPhaseAsync("resnet50-train", LeptonJobPhases.Running);
        var table = await KubectlAsync("get", "lj");
        var wide = await KubectlAsync("get", "lj", "resnet50-train", "-o", "jsonpath={.status.phase} {.status.nodes} {.status.gpus}");
        output.WriteLine(table);

        Assert.Equal("leptonjob.lepton.ai/resnet50-train created", created.Trim());
        var row = table.Split('\n')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["resnet50-train", "Training", "Running", "1", "gpu-0"], row[..5]);
        Assert.Equal("Running gpu-0 1", wide.Trim());
    }

    [SkippableFact]
    public async Task KubectlDescribeLj_AdmittedAndBoundJob_ShowsTheAdmissionAndBindingEvents()
    {
        Skip.IfNot(File.Exists(Kubectl), "kubectl is not installed at " + Kubectl);
        await KubectlAsync("create", "-f", Crds.RepoPaths.Combine("examples", "leptonjob-training-1gpu.yaml"));
        await _cluster.UntilPhaseAsync("resnet50-train", LeptonJobPhases.Running);
        var job = _cluster.Job("resnet50-train")!;
        // Recorded after the status writes that show them; kubectl then reads them as core/v1 Events.
        await _cluster.EventsAsync(job.Metadata.Uid, e => e.Any(x => x.Reason == "GangAdmitted") && e.Any(x => x.Reason == "Bound"), "admission and binding events");

        var described = await KubectlAsync("describe", "lj", "resnet50-train");
        output.WriteLine(described);

        var events = described[described.IndexOf("Events:", StringComparison.Ordinal)..];
        Assert.Matches(@"Normal\s+GangAdmitted\s+.*lepton\.ai/gang-admission\s+Gang admitted: 1 replica admitted together, reserved on gpu-0", events);
        Assert.Matches(@"Normal\s+Bound\s+.*lepton\.ai/leptonjob-controller\s+Replica 0 \(pod resnet50-train-0\) bound to node gpu-0", events);
        Assert.Matches(@"Normal\s+SuccessfulCreate\s+.*Created pod resnet50-train-0 for replica 0", events);
    }

    [SkippableFact]
    public async Task KubectlGetLjWide_PredictedAndDeclaredJobs_ShowsThePredictedColumn()
    {
        Skip.IfNot(File.Exists(Kubectl), "kubectl is not installed at " + Kubectl);
        // The example declares expectedDuration 2h (at least the prediction of 1h23m): the declared value shows.
        await KubectlAsync("create", "-f", Crds.RepoPaths.Combine("examples", "leptonjob-training-1gpu.yaml"));
        _cluster.CreateJob(OperatorHarness.JobJson("predicted"));
        await _cluster.UntilPhaseAsync("resnet50-train", LeptonJobPhases.Running);
        await _cluster.UntilPhaseAsync("predicted", LeptonJobPhases.Running);

        var table = await KubectlAsync("get", "lj", "-o", "wide");
        var plain = await KubectlAsync("get", "lj");
        output.WriteLine(table);

        var rows = table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(["NAME", "TYPE", "REPLICAS", "PHASE", "GPUS", "NODES", "PREDICTED", "AGE"], rows[0]);
        Assert.Equal(["Training", "1", "Running", "1", "gpu-0", "1h23m"], Assert.Single(rows, r => r[0] == "predicted")[1..7]);
        Assert.Equal(["Training", "1", "Running", "1", "gpu-0", "2h"], Assert.Single(rows, r => r[0] == "resnet50-train")[1..7]);
        Assert.DoesNotContain("PREDICTED", plain, StringComparison.Ordinal);
    }

    private async Task<string> KubectlAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Kubectl) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args.Prepend(Kubeconfig).Prepend("--kubeconfig").Append("--namespace").Append("default"))
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(Hang.Token());
        Assert.True(process.ExitCode == 0, $"kubectl {string.Join(' ', args)}: {await stderr}");
        return await stdout;
    }
}
