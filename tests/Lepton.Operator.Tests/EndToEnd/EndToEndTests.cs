using k8s.Models;
using Lepton.Operator.Entities;
using Lepton.Operator.Jobs;

namespace Lepton.Operator.Tests.EndToEnd;

/// <summary>
/// The whole path through the API test server: a LeptonJob applied, its pods created gated, the gate lifted by
/// gang admission, kube-scheduler's filter/prioritize/bind replayed against the extender, the binding posted,
/// the pods run and finish, and the job's status follows.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class EndToEndTests : IAsyncLifetime
{
    private OperatorHarness _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await OperatorHarness.StartAsync();
        _cluster.AddNodes(2, gpus: 8);
        await _cluster.StartOperatorAsync();
        await _cluster.StartClusterAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task ExampleTrainingJob_GatedThenAdmittedScheduledBoundRun_SucceedsWithStatus()
    {
        var firstSeen = new Dictionary<string, V1Pod>();
        using var recorder = _cluster.Pods.Subscribe(e =>
        {
            lock (firstSeen)
            {
                firstSeen.TryAdd(e.Object.Metadata.Name, e.Object);
            }
        });
        var manifest = YamlObjects.ReadFile("examples", "leptonjob-training-1gpu.yaml");
        manifest["metadata"]!["namespace"] = "default";

        _cluster.CreateJob(manifest);
        await _cluster.UntilPhaseAsync("resnet50-train", LeptonJobPhases.Running);
        var running = _cluster.Job("resnet50-train")!;
        var pod = Assert.Single(_cluster.PodsOf("resnet50-train"));
        _cluster.Kubelet!.Finish("default", pod.Metadata.Name);
        await _cluster.UntilPhaseAsync("resnet50-train", LeptonJobPhases.Succeeded);
        var done = _cluster.Job("resnet50-train")!;

        Assert.Equal("resnet50-train-0", pod.Metadata.Name);
        lock (firstSeen)
        {
            Assert.Contains(firstSeen[pod.Metadata.Name].Spec.SchedulingGates, g => g.Name == LeptonJobKeys.GangSchedulingGate);
        }

        Assert.Equal("lepton-scheduler", pod.Spec.SchedulerName);
        Assert.Equal("1", pod.Spec.Containers[0].Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Equal("NVIDIA-A100-SXM4-80GB|V100M32", pod.Metadata.Annotations["lepton.ai/gpu-models"]);
        Assert.Equal(pod.Spec.NodeName, pod.Metadata.Annotations[LeptonJobKeys.ReservedNodeAnnotation]);
        Assert.Matches("^[0-7]$", pod.Metadata.Annotations["lepton.ai/gpu-cards"]);
        var owner = Assert.Single(pod.Metadata.OwnerReferences);
        Assert.True(owner.Controller);
        Assert.True(owner.BlockOwnerDeletion);
        Assert.Equal(running.Metadata.Uid, owner.Uid);

        Assert.Equal(LeptonJobPhases.Running, running.Status!.Phase);
        Assert.Equal(pod.Spec.NodeName, running.Status.Nodes);
        Assert.Equal("1", running.Status.Gpus);
        Assert.NotNull(running.Status.StartTime);
        Assert.True(running.Status.IsConditionTrue(LeptonJobConditionTypes.Scheduled));
        Assert.True(running.Status.IsConditionTrue(LeptonJobConditionTypes.Running));
        Assert.Equal(running.Metadata.Generation, running.Status.ObservedGeneration);
        var replica = Assert.Single(running.Status.ReplicaStatuses!);
        Assert.Equal((0, pod.Metadata.Name, pod.Spec.NodeName), (replica.Index, replica.PodName, replica.NodeName));

        Assert.Equal(LeptonJobPhases.Succeeded, done.Status!.Phase);
        Assert.True(done.Status.IsConditionTrue(LeptonJobConditionTypes.Completed));
        Assert.Equal(LeptonJobConditionReasons.Succeeded, done.Status.FindCondition(LeptonJobConditionTypes.Completed)!.Reason);
        Assert.NotNull(done.Status.CompletionTime);
        Assert.Contains(LeptonJobKeys.Finalizer, done.Metadata.Finalizers);
        Assert.Single(_cluster.Server.Requests.Entries, r => r is { Subresource: "binding", StatusCode: 201 });
        Assert.Contains(_cluster.Server.Requests.Entries, r => r is { Resource: "leptonjobs", Subresource: "status", Verb: "patch" });
        Assert.DoesNotContain(_cluster.Server.Requests.Entries, r => r is { Resource: "leptonjobs", Verb: "update" });
    }
}
