using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Lepton.Operator.Entities;

namespace Lepton.Operator.Tests.Entities;

public class V1Alpha1LeptonJobTests
{
    [Fact]
    public void New_Job_HasApiVersionKindAndDefaults()
    {
        var sut = new V1Alpha1LeptonJob();

        Assert.Equal("lepton.ai/v1alpha1", sut.ApiVersion);
        Assert.Equal("LeptonJob", sut.Kind);
        Assert.Equal(1, sut.Spec.Replicas);
        Assert.Equal("Never", sut.Spec.RestartPolicy);
        Assert.Null(sut.Status);
    }

    [Fact]
    public void KubernetesEntity_MatchesTheCrdNames()
    {
        var entity = (KubernetesEntityAttribute)Attribute.GetCustomAttribute(typeof(V1Alpha1LeptonJob), typeof(KubernetesEntityAttribute))!;

        Assert.Equal(("lepton.ai", "v1alpha1", "LeptonJob", "leptonjobs"), (entity.Group, entity.ApiVersion, entity.Kind, entity.PluralName));
    }

    [Fact]
    public void Serialize_Job_UsesCamelCaseAndOmitsNulls()
    {
        var sut = new V1Alpha1LeptonJob
        {
            Metadata = new V1ObjectMeta { Name = "j", NamespaceProperty = "ns" },
            Spec = new V1Alpha1LeptonJobSpec
            {
                Type = LeptonJobTypes.Inference,
                Accelerators = new V1Alpha1LeptonJobAccelerators { Gpus = 1, GpuMilli = 250 },
            },
            Status = new V1Alpha1LeptonJobStatus
            {
                Phase = LeptonJobPhases.Running,
                ObservedGeneration = 2,
                ReplicaStatuses = [new V1Alpha1LeptonJobReplicaStatus { Index = 0, PodName = "j-0", NodeName = "n1", Phase = "Running" }],
                StartTime = new DateTime(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc),
            },
        };

        var json = JsonNode.Parse(KubernetesJson.Serialize(sut))!;

        Assert.Equal("Inference", json["spec"]!["type"]!.GetValue<string>());
        Assert.Equal(250, json["spec"]!["accelerators"]!["gpuMilli"]!.GetValue<int>());
        Assert.Null(json["spec"]!["minAvailable"]);
        Assert.Equal("n1", json["status"]!["replicaStatuses"]![0]!["nodeName"]!.GetValue<string>());
        Assert.Equal(2, json["status"]!["observedGeneration"]!.GetValue<long>());
        Assert.StartsWith("2025-03-01T12:00:00", json["status"]!["startTime"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_MinimalJson_KeepsSchemaDefaults()
    {
        var sut = KubernetesJson.Deserialize<V1Alpha1LeptonJob>("""
            {"apiVersion":"lepton.ai/v1alpha1","kind":"LeptonJob","metadata":{"name":"j"},
             "spec":{"type":"Training","template":{"spec":{"containers":[{"name":"c","image":"busybox"}]}},"accelerators":{"fpga":{"resource":"fpga.intel.com/af-1"}}}}
            """);

        Assert.Equal(1, sut.Spec.Replicas);
        Assert.Equal("Never", sut.Spec.RestartPolicy);
        Assert.Equal(0, sut.Spec.Accelerators!.Gpus);
        Assert.Equal(1, sut.Spec.Accelerators.Fpga!.Count);
        Assert.Empty(LeptonJobValidator.Validate(sut));
    }

    [Fact]
    public void Deserialize_StatusWithConditions_ReadsMetav1Conditions()
    {
        var sut = KubernetesJson.Deserialize<V1Alpha1LeptonJob>("""
            {"apiVersion":"lepton.ai/v1alpha1","kind":"LeptonJob","metadata":{"name":"j","generation":4},"spec":{"type":"Training"},
             "status":{"phase":"Scheduling","conditions":[{"type":"Unschedulable","status":"True","reason":"InsufficientResources",
               "message":"needs 8 GPUs","lastTransitionTime":"2025-03-01T12:00:00Z","observedGeneration":4}]}}
            """);

        var condition = sut.Status!.FindCondition(LeptonJobConditionTypes.Unschedulable)!;
        Assert.Equal("InsufficientResources", condition.Reason);
        Assert.Equal(new DateTime(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc), condition.LastTransitionTime.ToUniversalTime());
        Assert.Equal(4, sut.Metadata.Generation);
    }

    [Theory]
    [InlineData(4, null, 4)]
    [InlineData(4, 2, 2)]
    [InlineData(1, null, 1)]
    public void EffectiveMinAvailable_DefaultsToReplicas(int replicas, int? minAvailable, int expected)
    {
        var sut = new V1Alpha1LeptonJobSpec { Replicas = replicas, MinAvailable = minAvailable };

        Assert.Equal(expected, sut.EffectiveMinAvailable());
    }

    [Fact]
    public void List_HasListKindAndItems()
    {
        var sut = KubernetesJson.Deserialize<V1Alpha1LeptonJobList>("""
            {"apiVersion":"lepton.ai/v1alpha1","kind":"LeptonJobList","metadata":{"resourceVersion":"7"},"items":[{"metadata":{"name":"a"},"spec":{"type":"Training"}}]}
            """);

        Assert.Equal("LeptonJobList", sut.Kind);
        Assert.Equal("7", sut.Metadata.ResourceVersion);
        Assert.Equal("a", Assert.Single(sut.Items).Metadata.Name);
    }

    [Fact]
    public void Phases_IsTerminal_OnlySucceededAndFailed()
    {
        Assert.Equal([LeptonJobPhases.Succeeded, LeptonJobPhases.Failed], LeptonJobPhases.All.Where(LeptonJobPhases.IsTerminal));
    }
}
