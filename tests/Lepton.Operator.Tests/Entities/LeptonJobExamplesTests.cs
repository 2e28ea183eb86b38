using System.Text.Json;
using k8s;
using Lepton.Operator.Entities;
using Lepton.Operator.Tests.Crds;
using Lepton.Operator.Tests.EndToEnd;
using Lepton.Testing.KubeApiServer;

namespace Lepton.Operator.Tests.Entities;

public class LeptonJobExamplesTests
{
    public static TheoryData<string> Examples =>
    [
        "leptonjob-training-1gpu.yaml",
        "leptonjob-inference-fractional.yaml",
        "leptonjob-gang-4.yaml",
        "leptonjob-fpga.yaml",
    ];

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Example_CreatedThroughTheApiServer_IsAdmittedAndRunnable(string file)
    {
        var options = new KubeApiTestServerOptions();
        options.CustomResourceDefinitions.Add(YamlObjects.LeptonJobCrd());
        await using var server = await KubeApiTestServer.StartAsync(options);
        using var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });

        // Strict, as kubectl sends it: an unknown field in an example fails here instead of being pruned.
        var created = await client.CustomObjects.CreateNamespacedCustomObjectAsync(
            YamlObjects.ReadFile("examples", file), "lepton.ai", "v1alpha1", "default", "leptonjobs", fieldValidation: "Strict");
        var job = KubernetesJson.Deserialize<V1Alpha1LeptonJob>(((JsonElement)created).GetRawText());

        Assert.Equal("lepton.ai/v1alpha1", job.ApiVersion);
        Assert.Equal("LeptonJob", job.Kind);
        Assert.Equal(Load(file).Metadata.Name, job.Metadata.Name);
        Assert.Empty(LeptonJobValidator.Validate(job));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_JsonRoundTrip_KeepsEveryField(string file)
    {
        var job = Load(file);

        var json = KubernetesJson.Serialize(job);
        var again = KubernetesJson.Deserialize<V1Alpha1LeptonJob>(json);

        Assert.Equal(json, KubernetesJson.Serialize(again));
        using var document = JsonDocument.Parse(json);
        Assert.True(document.RootElement.GetProperty("spec").TryGetProperty("type", out _));
        Assert.Equal(job.Spec.Template.Spec.Containers[0].Image, again.Spec.Template.Spec.Containers[0].Image);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_ParsedByKubectl_DeserializesToTheSameJob(string file)
    {
        if (!KubectlLocal.IsAvailable)
        {
            return; // optional check: kubectl is not installed here
        }

        var fromKubectl = KubernetesJson.Deserialize<V1Alpha1LeptonJob>(KubectlLocal.Parse(RepoPaths.Combine("examples", file)).ToJsonString());
        var fromYaml = Load(file);

        Assert.Equal(KubernetesJson.Serialize(fromYaml.Spec), KubernetesJson.Serialize(fromKubectl.Spec));
    }

    [Fact]
    public void TrainingExample_OneWholeGpuOfListedModels()
    {
        var spec = Load("leptonjob-training-1gpu.yaml").Spec;

        Assert.Equal(LeptonJobTypes.Training, spec.Type);
        Assert.Equal(1, spec.Replicas);
        Assert.Equal(1, spec.Accelerators!.Gpus);
        Assert.Equal(["NVIDIA-A100-SXM4-80GB", "V100M32"], spec.Accelerators.GpuModels!);
        Assert.Equal(LeptonJobRestartPolicies.Never, spec.RestartPolicy);
    }

    [Fact]
    public void FractionalExample_FourReplicasOf460MilliGpu()
    {
        var spec = Load("leptonjob-inference-fractional.yaml").Spec;

        Assert.Equal(LeptonJobTypes.Inference, spec.Type);
        Assert.True(spec.Accelerators!.IsFractional());
        Assert.Equal(460, spec.Accelerators.GpuMilliPerReplica());
        Assert.Equal("4x460m", LeptonJobStatusSummaries.FormatGpus(spec.Accelerators, spec.Replicas));
    }

    [Fact]
    public void GangExample_FourReplicasAllRequired()
    {
        var spec = Load("leptonjob-gang-4.yaml").Spec;

        Assert.Equal(LeptonJobTypes.Training, spec.Type);
        Assert.Equal(4, spec.Replicas);
        Assert.Equal(4, spec.EffectiveMinAvailable());
        Assert.Equal("16", LeptonJobStatusSummaries.FormatGpus(spec.Accelerators, spec.Replicas));
    }

    [Fact]
    public void FpgaExample_IntelRegionResource()
    {
        var spec = Load("leptonjob-fpga.yaml").Spec;

        Assert.StartsWith("fpga.intel.com/region-", spec.Accelerators!.Fpga!.Resource, StringComparison.Ordinal);
        Assert.Equal(1, spec.Accelerators.Fpga.Count);
        Assert.Equal(0, spec.Accelerators.Gpus);
    }

    private static V1Alpha1LeptonJob Load(string file) =>
        KubernetesYaml.Deserialize<V1Alpha1LeptonJob>(File.ReadAllText(RepoPaths.Combine("examples", file)), strict: true);
}
