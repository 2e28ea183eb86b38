using k8s.Models;
using Lepton.Operator.Entities;
using Lepton.Operator.Rebalancing;
using Lepton.Operator.Tests.EndToEnd;
using Lepton.Scheduling.Inventory;
using Lepton.Testing.KubeApiServer.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using YamlDotNet.RepresentationModel;

namespace Lepton.Charts.Tests;

/// <summary>
/// The chart grants Lepton's service account exactly what the code calls: an operator replica composed as
/// <c>lepton serve --kubeconfig</c> composes it (extender, operator, rebalancer, Lease election) runs every path that
/// touches the API against the API test server, and the (verb, group, resource) set its client used must equal the
/// rules of the chart's ClusterRole and leader-election Role. Missing rules break a cluster; extra rules are privilege
/// nobody needs.
/// </summary>
public sealed class RbacExercisedTests(ChartFixture chart, ITestOutputHelper output) : IClassFixture<ChartFixture>
{
    private const string OperatorAgent = "lepton-under-test";

    /// <summary>
    /// Granted without being a call: the OwnerReferencesPermissionEnforcement admission plugin (not part of the test
    /// double) requires <c>update</c> on the owner's <c>finalizers</c> subresource to set <c>blockOwnerDeletion</c>.
    /// </summary>
    private static readonly ApiPermission[] AdmissionOnly = [new("update", "lepton.ai", "leptonjobs/finalizers")];

    [Fact]
    public async Task ChartRbac_EqualsWhatTheOperatorCalledOnTheApiServer()
    {
        var exercised = await ExerciseOperatorAsync();
        var granted = Granted(chart.Render());

        output.WriteLine("exercised: " + string.Join(", ", exercised));
        var missing = exercised.Except(granted).ToList();
        var unused = granted.Except(exercised).Except(AdmissionOnly).ToList();
        Assert.Subset(granted, new SortedSet<ApiPermission>(AdmissionOnly));
        Assert.True(
            missing.Count == 0 && unused.Count == 0,
            $"chart RBAC differs from what the code calls.\nmissing from the chart: {string.Join(", ", missing)}\ngranted but never called: {string.Join(", ", unused)}");
    }

    /// <summary>Every rule of the roles bound to Lepton's own service account, expanded to (verb, group, resource).</summary>
    private static SortedSet<ApiPermission> Granted(IReadOnlyList<YamlMappingNode> docs)
    {
        var account = docs.Single(d => d.Kind() == "Deployment" && d.Name() == "lepton")
            .Str("spec", "template", "spec", "serviceAccountName");
        var boundRoles = docs.Where(d => d.Kind() is "RoleBinding" or "ClusterRoleBinding")
            .Where(b => b.Seq("subjects").Any(s => s.Str("kind") == "ServiceAccount" && s.Str("name") == account))
            .Select(b => (Kind: b.Str("roleRef", "kind"), Name: b.Str("roleRef", "name")))
            .ToHashSet();
        Assert.NotEmpty(boundRoles);
        var granted = new SortedSet<ApiPermission>();
        foreach (var role in docs.Where(d => d.Kind() is "Role" or "ClusterRole" && boundRoles.Contains((d.Kind(), d.Name()))))
        {
            foreach (var rule in role.Seq("rules"))
            {
                foreach (var group in rule.Seq("apiGroups").Select(Scalar))
                {
                    foreach (var resource in rule.Seq("resources").Select(Scalar))
                    {
                        foreach (var verb in rule.Seq("verbs").Select(Scalar))
                        {
                            granted.Add(new ApiPermission(verb, group, resource));
                        }
                    }
                }
            }
        }

        return granted;
    }

    private static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value ?? "";

    private static async Task<SortedSet<ApiPermission>> ExerciseOperatorAsync()
    {
        await using var cluster = await OperatorHarness.StartAsync();
        cluster.AddNodes(3, gpus: 8);
        var replica = await cluster.StartOperatorAsync(
            settings: new Dictionary<string, string?>
            {
                ["Lepton:LeaderElection:Enabled"] = "true",
                ["Lepton:LeaderElection:Identity"] = "rbac-check",
                ["Lepton:Rebalancer:DryRun"] = "false",
            },
            configure: services => services.AddLeptonRebalancer(),
            userAgent: OperatorAgent);
        await replica.Elector.WaitForLeadershipAsync(Hang.Token());
        await cluster.StartClusterAsync();

        // Training gang of two (headless Service, gates, reservations, bindings), a fractional inference job, and a
        // gang that can never fit (status says why).
        cluster.CreateJob(OperatorHarness.JobJson("train", replicas: 2, gpus: 2));
        cluster.CreateJob(OperatorHarness.JobJson("serve", type: LeptonJobTypes.Inference, gpus: 1, gpuMilli: 500));
        cluster.CreateJob(OperatorHarness.JobJson("too-big", replicas: 4, gpus: 8));
        await cluster.UntilPhaseAsync("train", LeptonJobPhases.Running);
        await cluster.UntilPhaseAsync("serve", LeptonJobPhases.Running);

        // kube-scheduler retries a bind that already succeeded: the binder's 409 path reads the pod back.
        var bound = cluster.PodsOf("serve").Single();
        var again = await replica.Extender.BindAsync(
            new Lepton.Kubernetes.Wire.ExtenderBindingArgs { PodName = bound.Metadata.Name, PodNamespace = "default", PodUID = bound.Metadata.Uid, Node = bound.Spec.NodeName },
            Hang.Token());
        Assert.True(string.IsNullOrEmpty(again.Error), again.Error);
        await cluster.UntilJobAsync("too-big", j => j.Status?.IsConditionTrue(LeptonJobConditionTypes.Unschedulable) == true, "is unschedulable");

        // A replica fails for good (restartPolicy Never): the job fails and its other replica is deleted.
        cluster.CreateJob(OperatorHarness.JobJson("fragile", replicas: 1, gpus: 1, restartPolicy: "Never"));
        await cluster.UntilPhaseAsync("fragile", LeptonJobPhases.Running);
        cluster.Kubelet!.Finish("default", "fragile-0", "Failed");
        await cluster.UntilPhaseAsync("fragile", LeptonJobPhases.Failed);

        // Deleting a job: its pods and Service go, then the finalizer.
        cluster.Server.Delete("leptonjobs", "default", "train");
        await cluster.Jobs.UntilAsync(c => c.Get(new("default", "train")) is null, "the train job is gone");

        // The rebalancer's API calls (planning reads only caches): an eviction and its event, recorded twice so the
        // repeat is a series update (a patch). Other paths reach that patch only when an event happens to repeat
        // within the window, which depends on timing; this makes the patch always part of what is exercised.
        var pod = cluster.PodsOf("serve").Single();
        var demand = new PodDemand { Uid = pod.Metadata.Uid, Namespace = "default", Name = pod.Metadata.Name };
        var outcome = await replica.Services.GetRequiredService<RebalanceEvictor>().EvictAsync(demand, Hang.Token());
        Assert.Equal(MoveResult.Evicted, outcome.Result);
        var rebalanceEvents = replica.Services.GetRequiredService<RebalanceEventRecorder>();
        for (var i = 0; i < 2; i++)
        {
            Assert.True(await rebalanceEvents.RecordAsync(
                demand, pod.Spec.NodeName, "Normal", RebalanceEventRecorder.ReasonRebalance, "Evict", "rbac check", Hang.Token()));
        }

        await replica.StopAsync();
        var agents = cluster.Server.Requests.Entries.Select(r => r.UserAgent).Distinct().ToList();
        Assert.Contains(agents, a => a.StartsWith(OperatorAgent, StringComparison.Ordinal));
        return new SortedSet<ApiPermission>(cluster.Server.Requests.Entries
            .Where(r => r.IsResourceRequest && r.Resource.Length > 0 && r.UserAgent.StartsWith(OperatorAgent, StringComparison.Ordinal))
            .Select(r => new ApiPermission(r.Verb, r.ApiGroup, r.ResourceWithSubresource)));
    }
}
