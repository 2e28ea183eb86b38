using System.Text.Json;
using k8s;
using k8s.Models;
using Lepton.Scheduling.Inventory;

namespace Lepton.Kubernetes.Tests;

/// <summary>
/// The extender reads request pods in place (<see cref="KubeObjectMapper.ToDemand(JsonElement)"/>);
/// the operator maps informer pods (<see cref="KubeObjectMapper.ToDemand(V1Pod)"/>). Both must
/// give the same demand for the same pod.
/// </summary>
public class PodFactsTests
{
    public static TheoryData<string> Pods() =>
    [
        """{"metadata":{"name":"cpu","namespace":"ns","uid":"u1","resourceVersion":"7","creationTimestamp":"2026-11-20T10:00:00Z"},"spec":{"containers":[{"name":"c","resources":{"requests":{"cpu":"500m","memory":"1Gi"}}}]},"status":{"phase":"Pending","qosClass":"Burstable"}}""",
        """{"metadata":{"name":"whole"},"spec":{"containers":[{"name":"a","resources":{"limits":{"nvidia.com/gpu":"2","cpu":"4","memory":"16Gi"}}},{"name":"b","resources":{"requests":{"cpu":"0.5"}}}]}}""",
        """{"metadata":{"name":"share","annotations":{"lepton.ai/gpu-milli":"300","lepton.ai/gpu-cards":"1"}},"spec":{"priority":1000,"containers":[{"name":"c","image":"x","env":[{"name":"A","value":"b"}],"resources":{"requests":{"cpu":"2","memory":"4096Mi"}}}]}}""",
        """{"metadata":{"generateName":"job-","labels":{"lepton.ai/gang":"g1"},"annotations":{"lepton.ai/reserved-node":" n7 "}},"spec":{"initContainers":[{"name":"side","restartPolicy":"Always","resources":{"requests":{"cpu":"1","memory":"1Gi"}}},{"name":"init","resources":{"requests":{"cpu":"8","nvidia.com/gpu":"4"}}}],"containers":[{"name":"main","resources":{"limits":{"nvidia.com/gpu":"2","cpu":"2"}}}],"overhead":{"cpu":"250m","memory":"120Mi"}}}""",
        """{"metadata":{"name":"models","annotations":{"lepton.ai/gpu-models":"A100,H100"}},"spec":{"nodeSelector":{"nvidia.com/gpu.product":"NVIDIA-A100-SXM4-80GB"},"containers":[{"name":"c","resources":{"limits":{"nvidia.com/gpu":"1"}}}]}}""",
        """{"metadata":{"name":"affinity"},"spec":{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"nvidia.com/gpu.product","operator":"In","values":["Tesla-T4","A10"]}]},{"matchExpressions":[{"key":"zone","operator":"In","values":["a"]},{"key":"nvidia.com/gpu.product","operator":"In","values":["V100"]}]}]}}},"containers":[{"name":"c","resources":{"limits":{"nvidia.com/gpu":"1"}}}]}}""",
        """{"metadata":{"name":"any-term"},"spec":{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"nvidia.com/gpu.product","operator":"In","values":["T4"]}]},{"matchExpressions":[{"key":"zone","operator":"NotIn","values":["b"]}]}]}}},"containers":[{"name":"c","resources":{"limits":{"nvidia.com/gpu":"1"}}}]}}""",
        """{"metadata":{"name":"guaranteed"},"spec":{"containers":[{"name":"c","resources":{"requests":{"cpu":"1","memory":"1Gi"},"limits":{"cpu":"1000m","memory":"1Gi"}}}]}}""",
        """{"metadata":{"name":"burstable"},"spec":{"containers":[{"name":"c","resources":{"requests":{"cpu":"1"},"limits":{"cpu":"2","memory":"1Gi"}}}]}}""",
        """{"metadata":{"name":"besteffort"},"spec":{"containers":[{"name":"c"}]}}""",
        """{"metadata":{"name":"amd"},"spec":{"containers":[{"name":"c","resources":{"limits":{"amd.com/gpu":"1","xilinx.com/fpga-xilinx_u250":"1"}}}]}}""",
        """{"metadata":{"name":"intel"},"spec":{"containers":[{"name":"c","resources":{"limits":{"gpu.intel.com/i915":"1","fpga.intel.com/af-695.d84.aVKNtusxV3qMNmj5-qCB9thCTcSko8QT-J5DNoP5BAs":"1"}}}]}}""",
        """{"metadata":{"name":"contradictory","annotations":{"lepton.ai/gpu-models":"T4"}},"spec":{"nodeSelector":{"nvidia.com/gpu.product":"A100"},"containers":[{"name":"c","resources":{"limits":{"nvidia.com/gpu":"1"}}}]}}""",
        """{"metadata":{"name":"numbers"},"spec":{"containers":[{"name":"c","resources":{"requests":{"cpu":"1.5","memory":"1073741824","ephemeral-storage":"10G"}}}]}}""",
        """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"full","namespace":"inference","uid":"9a9a","ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs","uid":"x","controller":true}],"managedFields":[{"manager":"kubectl","operation":"Update","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{}}}]},"spec":{"volumes":[{"name":"v","projected":{"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}}]}}],"containers":[{"name":"server","image":"i","ports":[{"containerPort":8080}],"livenessProbe":{"httpGet":{"path":"/","port":8080}},"resources":{"requests":{"cpu":"8","memory":"32Gi","nvidia.com/gpu":"1"},"limits":{"nvidia.com/gpu":"1"}},"volumeMounts":[{"name":"v","mountPath":"/v"}]}],"tolerations":[{"key":"nvidia.com/gpu","operator":"Exists","effect":"NoSchedule"}],"schedulerName":"lepton"},"status":{"phase":"Pending","qosClass":"Burstable","conditions":[{"type":"PodScheduled","status":"False"}]}}""",
        """{"metadata":{"name":"constrained"},"spec":{"nodeName":"n3","nodeSelector":{"pool":"train","zone":"a"},"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"kernel","operator":"Gt","values":["5"]}],"matchFields":[{"key":"metadata.name","operator":"In","values":["n3"]}]},{"matchExpressions":[{"key":"spot","operator":"DoesNotExist"}]}]}}},"tolerations":[{"key":"gpu","operator":"Equal","value":"reserved","effect":"NoSchedule"},{"operator":"Exists"},{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}],"containers":[{"name":"c"}]}}""",
        """{"metadata":{"name":"empty-terms"},"spec":{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[]}}},"containers":[{"name":"c"}]}}""",
    ];

    [Theory]
    [MemberData(nameof(Pods))]
    public void ToDemand_JsonReadInPlace_SameDemandAsTheV1Pod(string json)
    {
        var mapper = new KubeObjectMapper();
        var element = JsonDocument.Parse(json).RootElement;

        var fromJson = mapper.ToDemand(element);
        var fromV1 = mapper.ToDemand(KubernetesJson.Deserialize<V1Pod>(json));

        Assert.Equal(Describe(fromV1), Describe(fromJson));
    }

    [Theory]
    [InlineData("""{"metadata":{"name":5}}""", "metadata.name must be a string")]
    [InlineData("""{"metadata":[]}""", "metadata must be an object")]
    [InlineData("""{"spec":{"containers":{}}}""", "spec.containers must be an array")]
    [InlineData("""{"spec":{"containers":[5]}}""", "spec.containers[0] must be an object")]
    [InlineData("""{"spec":{"containers":[{"name":"c","resources":{"requests":{"cpu":{}}}}]}}""", "spec.containers[0].resources.requests.cpu must be a quantity string")]
    [InlineData("""{"spec":{"priority":"high","containers":[]}}""", "spec.priority must be a number")]
    [InlineData("""{"metadata":{"annotations":{"a":1}}}""", "metadata.annotations.a must be a string")]
    [InlineData("""{"metadata":{"creationTimestamp":"yesterday"}}""", "metadata.creationTimestamp is not a timestamp")]
    [InlineData("""{"spec":{"nodeName":7}}""", "spec.nodeName must be a string")]
    [InlineData("""{"spec":{"tolerations":{}}}""", "spec.tolerations must be an array")]
    [InlineData("""{"spec":{"tolerations":[{"key":"a"},{"key":1}]}}""", "spec.tolerations[1].key must be a string")]
    [InlineData("""{"spec":{"tolerations":["a"]}}""", "spec.tolerations[0] must be an object")]
    [InlineData("""{"spec":{"nodeSelector":{"pool":true}}}""", "spec.nodeSelector.pool must be a string")]
    [InlineData("""{"spec":{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchFields":[{"key":"metadata.name","operator":"In","values":[1]}]}]}}}}}""", "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values must hold strings")]
    [InlineData("""{"spec":{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"a","operator":3}]}]}}}}}""", "nodeSelectorTerms[0].matchExpressions[0].operator must be a string")]
    public void From_FieldOfTheWrongType_JsonExceptionNamingIt(string json, string expected)
    {
        var e = Assert.Throws<JsonException>(() => PodFacts.From(JsonDocument.Parse(json).RootElement));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToDemand_JsonBadQuantity_KubeObjectExceptionNamingContainerAndValue()
    {
        var json = """{"metadata":{"name":"p","namespace":"ns"},"spec":{"containers":[{"name":"c","resources":{"limits":{"cpu":"lots"}}}]}}""";

        var e = Assert.Throws<KubeObjectException>(() => new KubeObjectMapper().ToDemand(JsonDocument.Parse(json).RootElement));

        Assert.Equal("pod ns/p container c limits: cpu is not a valid quantity: 'lots'.", e.Message);
    }

    private static string Describe(PodDemand d) => string.Join(
        " | ",
        d.Uid, d.Namespace, d.Name, d.CpuMilli, d.MemoryBytes, d.GpuCount, d.GpuMilli, d.GpuResource ?? "-",
        string.Join(',', d.GpuModels), string.Join(',', d.Extended.Select(e => $"{e.Name}={e.Quantity}")), d.Priority, d.QosClass ?? "-",
        d.Gang ?? "-", d.ReservedNode ?? "-", string.Join(',', d.CardsHint), d.CreatedAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "-",
        Describe(d.Placement));

    private static string Describe(PodPlacement? p) => p is null ? "no placement" : string.Join(
        " ; ",
        p.NodeName ?? "-",
        string.Join(',', p.NodeSelector.Select(kv => $"{kv.Key}={kv.Value}")),
        p.RequiredTerms.IsDefault ? "no affinity" : "[" + string.Join(" || ", p.RequiredTerms) + "]",
        string.Join(',', p.Tolerations));
}
