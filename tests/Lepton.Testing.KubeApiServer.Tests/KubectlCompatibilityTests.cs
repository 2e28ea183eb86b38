using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Tests.Support;

namespace Lepton.Testing.KubeApiServer.Tests;

/// <summary>The real kubectl against <see cref="KubeApiTestServer"/>: discovery, tables, create from YAML, short names.</summary>
public sealed class KubectlCompatibilityTests
{
    [KubectlFact]
    public async Task Kubectl_GetPodsCreateLeptonJobGetLj_WorksAgainstTheServer()
    {
        var time = TestServer.NewClock();
        await using var sut = await TestServer.StartAsync(time);
        using var kubectl = new Kubectl(sut);
        sut.Seed(Make.Pod("trainer-0", "kube-system").OnNode("gpu-1").Running().ToJson());

        var pods = await kubectl.RunAsync("get", "pods", "-A");

        Assert.True(pods.ExitCode == 0, pods.Error);
        Assert.Matches(@"NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE", pods.Output);
        Assert.Matches(@"kube-system\s+trainer-0\s+0/1\s+Running\s+0\s+0s", pods.Output);

        sut.RegisterCustomResourceDefinition(TestCrds.LeptonJob());
        var manifest = kubectl.WriteFile("leptonjob.yaml", """
            apiVersion: lepton.ai/v1alpha1
            kind: LeptonJob
            metadata:
              name: resnet
              namespace: default
            spec:
              replicas: 3
              gpusPerReplica: 1
            """);

        var create = await kubectl.RunAsync("create", "--validate=false", "-f", manifest);

        Assert.True(create.ExitCode == 0, create.Error);
        Assert.Contains("leptonjob.lepton.ai/resnet created", create.Output, StringComparison.Ordinal);

        sut.Modify("lj", "default", "resnet", job => job["status"] = new JsonObject { ["phase"] = "Running" });
        time.Advance(TimeSpan.FromMinutes(3));

        var jobs = await kubectl.RunAsync("get", "lj");

        Assert.True(jobs.ExitCode == 0, jobs.Error);
        Assert.Matches(@"NAME\s+PHASE\s+REPLICAS\s+AGE", jobs.Output);
        Assert.Matches(@"resnet\s+Running\s+3\s+3m", jobs.Output);
        Assert.Contains(sut.Requests.Permissions(), p => p.Verb == "create" && p.ApiGroup == "lepton.ai" && p.Resource == "leptonjobs");
    }

    [KubectlFact]
    public async Task Kubectl_CreateWithDefaultValidation_UsesServerSideFieldValidation()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        using var kubectl = new Kubectl(sut);
        var manifest = kubectl.WriteFile("pod.yaml", """
            apiVersion: v1
            kind: Pod
            metadata:
              name: gated
              labels: {app: trainer}
            spec:
              schedulingGates: [{name: lepton.ai/gang}]
              containers: [{name: main, image: busybox}]
            """);

        var create = await kubectl.RunAsync("create", "-f", manifest);
        var gate = await kubectl.RunAsync("patch", "pod", "gated", "--type=merge", "-p", """{"spec":{"schedulingGates":[{"name":"lepton.ai/gang"},{"name":"x.io/y"}]}}""");
        var wide = await kubectl.RunAsync("get", "pods", "-l", "app=trainer", "-o", "wide");

        Assert.True(create.ExitCode == 0, create.Error);
        Assert.NotEqual(0, gate.ExitCode);
        Assert.Contains("only deletion is allowed, but found new scheduling gate 'x.io/y'", gate.Error, StringComparison.Ordinal);
        Assert.Matches(@"gated\s+0/1\s+SchedulingGated\s+0\s+0s\s+<none>\s+<none>\s+<none>", wide.Output);
    }

    [KubectlFact]
    public async Task Kubectl_CreateViolatingLeptonJob_FailsWithTheClustersInvalidMessage()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        sut.RegisterCustomResourceDefinition(RepoFiles.LeptonJobCrd());
        using var kubectl = new Kubectl(sut);
        var manifest = kubectl.WriteFile("bad.yaml", """
            apiVersion: lepton.ai/v1alpha1
            kind: LeptonJob
            metadata:
              name: bad
            spec:
              type: Training
              replicas: 2
              minAvailable: 3
              template:
                spec:
                  containers: [{name: main, image: busybox}]
            """);

        var create = await kubectl.RunAsync("create", "-f", manifest);

        Assert.Equal(1, create.ExitCode);
        Assert.Equal(
            "The LeptonJob \"bad\" is invalid: spec.minAvailable: Invalid value: \"object\": minAvailable must not exceed replicas\n",
            create.Error);
    }

    [KubectlFact]
    public async Task Kubectl_CreateWithUnknownField_FailsStrictDecoding()
    {
        await using var sut = await TestServer.StartAsync(TestServer.NewClock());
        sut.RegisterCustomResourceDefinition(RepoFiles.LeptonJobCrd());
        using var kubectl = new Kubectl(sut);
        var manifest = kubectl.WriteFile("typo.yaml", """
            apiVersion: lepton.ai/v1alpha1
            kind: LeptonJob
            metadata:
              name: typo
            spec:
              type: Training
              replica: 2
              template:
                spec:
                  containers: [{name: main, image: busybox}]
            """);

        var strict = await kubectl.RunAsync("create", "-f", manifest);
        var lenient = await kubectl.RunAsync("create", "--validate=false", "-f", manifest);

        Assert.Equal(1, strict.ExitCode);
        Assert.Contains(
            "LeptonJob in version \"v1alpha1\" cannot be handled as a LeptonJob: strict decoding error: unknown field \"spec.replica\"",
            strict.Error,
            StringComparison.Ordinal);
        Assert.True(lenient.ExitCode == 0, lenient.Error);
        Assert.Contains("leptonjob.lepton.ai/typo created", lenient.Output, StringComparison.Ordinal);
    }
}
