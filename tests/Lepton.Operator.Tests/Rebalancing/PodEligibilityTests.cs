using k8s.Models;
using Lepton.Operator.Rebalancing;

namespace Lepton.Operator.Tests.Rebalancing;

public sealed class PodEligibilityTests
{
    private static V1Pod Pod(string? owner = "ReplicaSet", string ns = "default", int priority = 0, IDictionary<string, string>? annotations = null)
        => new RebalanceTestCluster().Node("n").Pod("p", "n", 500, [0], owner, ns, priority, annotations: annotations);

    [Theory]
    [InlineData("ReplicaSet", RebalanceExclusion.None)]
    [InlineData("StatefulSet", RebalanceExclusion.None)]
    [InlineData("Job", RebalanceExclusion.None)]
    [InlineData("LeptonJob", RebalanceExclusion.None)]
    [InlineData(null, RebalanceExclusion.NoController)]
    [InlineData("DaemonSet", RebalanceExclusion.DaemonSet)]
    [InlineData("Node", RebalanceExclusion.MirrorPod)]
    [InlineData("MysteryOperator", RebalanceExclusion.UnsupportedController)]
    public void Evaluate_Owner_DecidesByControllerKind(string? owner, RebalanceExclusion expected)
    {
        Assert.Equal(expected, PodEligibility.Evaluate(Pod(owner), new RebalancerOptions()));
    }

    [Fact]
    public void Evaluate_OwnerWithoutControllerFlag_IsBare()
    {
        var pod = Pod();
        pod.Metadata.OwnerReferences[0].Controller = null;

        Assert.Equal(RebalanceExclusion.NoController, PodEligibility.Evaluate(pod, new RebalancerOptions()));
    }

    [Fact]
    public void Evaluate_ReplicaSetOfAnotherGroup_IsUnsupported()
    {
        var pod = Pod();
        pod.Metadata.OwnerReferences[0].ApiVersion = "example.com/v1";

        Assert.Equal(RebalanceExclusion.UnsupportedController, PodEligibility.Evaluate(pod, new RebalancerOptions()));
    }

    [Theory]
    [InlineData("true", RebalanceExclusion.OptedOut)]
    [InlineData("True", RebalanceExclusion.OptedOut)]
    [InlineData("false", RebalanceExclusion.None)]
    public void Evaluate_NoRebalanceAnnotation_OptsOut(string value, RebalanceExclusion expected)
    {
        var pod = Pod(annotations: new Dictionary<string, string> { [PodEligibility.NoRebalanceAnnotation] = value });

        Assert.Equal(expected, PodEligibility.Evaluate(pod, new RebalancerOptions()));
    }

    [Fact]
    public void Evaluate_MirrorAnnotation_IsMirrorPod()
    {
        var pod = Pod(annotations: new Dictionary<string, string> { [PodEligibility.MirrorPodAnnotation] = "abc" });

        Assert.Equal(RebalanceExclusion.MirrorPod, PodEligibility.Evaluate(pod, new RebalancerOptions()));
    }

    [Theory]
    [InlineData(false, RebalanceExclusion.ProtectedNamespace)]
    [InlineData(true, RebalanceExclusion.None)]
    public void Evaluate_KubeSystem_OnlyWhenAllowed(bool include, RebalanceExclusion expected)
    {
        Assert.Equal(expected, PodEligibility.Evaluate(Pod(ns: "kube-system"), new RebalancerOptions { IncludeKubeSystem = include }));
    }

    [Theory]
    [InlineData(0, 0, RebalanceExclusion.None)]
    [InlineData(1, 0, RebalanceExclusion.PriorityTooHigh)]
    [InlineData(1000, 1000, RebalanceExclusion.None)]
    [InlineData(2_000_000_000, 1000, RebalanceExclusion.PriorityTooHigh)]
    public void Evaluate_Priority_AboveMaximumIsExcluded(int priority, int max, RebalanceExclusion expected)
    {
        Assert.Equal(expected, PodEligibility.Evaluate(Pod(priority: priority), new RebalancerOptions { MaxPriority = max }));
    }

    [Theory]
    [InlineData("Pending", RebalanceExclusion.NotRunning)]
    [InlineData("Succeeded", RebalanceExclusion.NotRunning)]
    [InlineData("Running", RebalanceExclusion.None)]
    public void Evaluate_Phase_OnlyRunningPodsMove(string phase, RebalanceExclusion expected)
    {
        var pod = Pod();
        pod.Status.Phase = phase;

        Assert.Equal(expected, PodEligibility.Evaluate(pod, new RebalancerOptions()));
    }

    [Fact]
    public void Evaluate_Deleting_IsExcluded()
    {
        var pod = Pod();
        pod.Metadata.DeletionTimestamp = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        Assert.Equal(RebalanceExclusion.Deleting, PodEligibility.Evaluate(pod, new RebalancerOptions()));
    }
}
