using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Lepton.Testing;

/// <summary>
/// Pods and nodes shaped like a production cluster's, as the API server sends them: labels, owner
/// references, projected token volumes, env, resources, status with conditions and container statuses,
/// a last-applied-configuration annotation, and managedFields from four managers. About 9 KB per pod and
/// 15 KB per node on the wire. Typed for caches and transforms; as JSON for seeding the API test server.
/// </summary>
public static class RealisticObjects
{
    /// <summary>The <paramref name="i"/>-th pod, bound to <paramref name="node"/> (default <c>node-{i % 5000}</c>), requesting <paramref name="gpus"/> GPUs on recorded cards (a CPU pod when 0).</summary>
    public static V1Pod Pod(int i, string? node = null, int gpus = 1) => KubernetesJson.Deserialize<V1Pod>(PodText(i, node, gpus));

    /// <summary><see cref="Pod"/> as JSON.</summary>
    public static JsonObject PodJson(int i, string? node = null, int gpus = 1) => JsonNode.Parse(PodText(i, node, gpus))!.AsObject();

    /// <summary>The <paramref name="i"/>-th node, <c>node-{i}</c>, with <paramref name="gpus"/> GPUs.</summary>
    public static V1Node Node(int i, int gpus = 8) => KubernetesJson.Deserialize<V1Node>(NodeText(i, gpus));

    /// <summary><see cref="Node"/> as JSON.</summary>
    public static JsonObject NodeJson(int i, int gpus = 8) => JsonNode.Parse(NodeText(i, gpus))!.AsObject();

    private static string PodText(int i, string? node, int gpus)
    {
        node ??= string.Create(CultureInfo.InvariantCulture, $"node-{i % 5000}");
        var gpu = gpus > 0 ? string.Create(CultureInfo.InvariantCulture, $",\"nvidia.com/gpu\":\"{gpus}\"") : string.Empty;
        var cards = gpus > 0 ? string.Create(CultureInfo.InvariantCulture, $"\"lepton.ai/gpu-cards\":\"{i % 8}\",") : string.Empty;
        var name = string.Create(CultureInfo.InvariantCulture, $"train-job-{i / 8}-worker-{i % 8}");
        var ns = string.Create(CultureInfo.InvariantCulture, $"team-{i % 40}");
        var env = string.Join(",", Enumerable.Range(0, 12).Select(e => string.Create(CultureInfo.InvariantCulture, $$$"""{"name":"ENV_VARIABLE_{{{e}}}","value":"some-configuration-value-{{{e}}}-{{{i}}}"}""")));
        var lastApplied = Escape(string.Create(CultureInfo.InvariantCulture, $$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},"spec":{"containers":[{"name":"trainer","image":"registry.example.com/ml/trainer:v1.2.3","env":[{{{env}}}]}]}}"""));
        var json = string.Create(CultureInfo.InvariantCulture, $$$"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","generateName":"train-job-{{{i / 8}}}-worker-","namespace":"{{{ns}}}",
        "uid":"{{{Guid(i)}}}","resourceVersion":"{{{1000 + i}}}","creationTimestamp":"2026-01-01T00:00:00Z",
        "labels":{"app.kubernetes.io/name":"trainer","app.kubernetes.io/instance":"train-job-{{{i / 8}}}","lepton.ai/job":"train-job-{{{i / 8}}}","lepton.ai/role":"worker","pod-template-hash":"7d9f8c6b5"},
        "annotations":{{{{cards}}}"lepton.ai/reserved-node":"{{{node}}}","kubectl.kubernetes.io/last-applied-configuration":"{{{lastApplied}}}","prometheus.io/scrape":"true"},
        "ownerReferences":[{"apiVersion":"lepton.ai/v1alpha1","kind":"LeptonJob","name":"train-job-{{{i / 8}}}","uid":"{{{Guid(i / 8 + 1_000_000)}}}","controller":true,"blockOwnerDeletion":true}],
        "managedFields":[{{{ManagedFields("lepton-operator", "Update", 1800)}}},{{{ManagedFields("kube-scheduler", "Update", 600)}}},{{{ManagedFields("kubelet", "Update", 2600)}}},{{{ManagedFields("kubectl-client-side-apply", "Update", 1200)}}}]},
        "spec":{"volumes":[{"name":"kube-api-access-{{{i % 100000}}}","projected":{"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},{"configMap":{"name":"kube-root-ca.crt","items":[{"key":"ca.crt","path":"ca.crt"}]}},{"downwardAPI":{"items":[{"path":"namespace","fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"}}]}}],"defaultMode":420}},{"name":"dshm","emptyDir":{"medium":"Memory"}},{"name":"data","persistentVolumeClaim":{"claimName":"dataset-{{{i % 40}}}"}}],
        "containers":[{"name":"trainer","image":"registry.example.com/ml/trainer:v1.2.3","command":["python","-m","train"],"args":["--epochs","90","--batch-size","256","--data","/data/imagenet"],"ports":[{"name":"metrics","containerPort":9090,"protocol":"TCP"}],
        "env":[{{{env}}}],"resources":{"limits":{"cpu":"8","memory":"64Gi"{{{gpu}}}},"requests":{"cpu":"8","memory":"64Gi"{{{gpu}}}}},
        "volumeMounts":[{"name":"kube-api-access-{{{i % 100000}}}","readOnly":true,"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"},{"name":"dshm","mountPath":"/dev/shm"},{"name":"data","mountPath":"/data"}],
        "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent"}],
        "restartPolicy":"Never","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","serviceAccountName":"default","serviceAccount":"default","nodeName":"{{{node}}}","securityContext":{},"schedulerName":"lepton-scheduler",
        "tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},{"key":"nvidia.com/gpu","operator":"Exists","effect":"NoSchedule"}],
        "priority":0,"enableServiceLinks":true,"preemptionPolicy":"PreemptLowerPriority"},
        "status":{"phase":"Running","conditions":[{"type":"PodReadyToStartContainers","status":"True","lastTransitionTime":"2026-01-01T00:00:05Z"},{"type":"Initialized","status":"True","lastTransitionTime":"2026-01-01T00:00:01Z"},{"type":"Ready","status":"True","lastTransitionTime":"2026-01-01T00:00:09Z"},{"type":"ContainersReady","status":"True","lastTransitionTime":"2026-01-01T00:00:09Z"},{"type":"PodScheduled","status":"True","lastTransitionTime":"2026-01-01T00:00:00Z"}],
        "hostIP":"10.0.{{{i % 250}}}.{{{i % 200}}}","hostIPs":[{"ip":"10.0.{{{i % 250}}}.{{{i % 200}}}"}],"podIP":"10.244.{{{i % 250}}}.{{{i % 200}}}","podIPs":[{"ip":"10.244.{{{i % 250}}}.{{{i % 200}}}"}],"startTime":"2026-01-01T00:00:01Z",
        "containerStatuses":[{"name":"trainer","state":{"running":{"startedAt":"2026-01-01T00:00:08Z"}},"lastState":{},"ready":true,"restartCount":0,"image":"registry.example.com/ml/trainer:v1.2.3","imageID":"registry.example.com/ml/trainer@sha256:{{{new string('a', 64)}}}","containerID":"containerd://{{{new string('b', 64)}}}","started":true}],"qosClass":"Guaranteed"}}
        """);
        return json;
    }

    private static string NodeText(int i, int gpus)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"node-{i}");
        var labels = string.Join(",", Enumerable.Range(0, 18).Select(l => string.Create(CultureInfo.InvariantCulture, $"\"feature.node.kubernetes.io/label-{l}\":\"value-{l}\"")));
        var images = string.Join(",", Enumerable.Range(0, 50).Select(m => string.Create(CultureInfo.InvariantCulture, $$$"""{"names":["registry.example.com/image-{{{m}}}@sha256:{{{new string('c', 64)}}}","registry.example.com/image-{{{m}}}:v{{{m}}}"],"sizeBytes":{{{100_000_000 + m}}}}""")));
        var json = string.Create(CultureInfo.InvariantCulture, $$$"""
        {"apiVersion":"v1","kind":"Node","metadata":{"name":"{{{name}}}","uid":"{{{Guid(i + 2_000_000)}}}","resourceVersion":"{{{i}}}","creationTimestamp":"2026-01-01T00:00:00Z",
        "labels":{"kubernetes.io/hostname":"{{{name}}}","kubernetes.io/os":"linux","kubernetes.io/arch":"amd64","node.kubernetes.io/instance-type":"p4d.24xlarge","topology.kubernetes.io/zone":"zone-{{{i % 3}}}","nvidia.com/gpu.product":"NVIDIA-A100-SXM4-80GB","nvidia.com/gpu.count":"{{{gpus}}}",{{{labels}}}},
        "annotations":{"node.alpha.kubernetes.io/ttl":"0","volumes.kubernetes.io/controller-managed-attach-detach":"true","csi.volume.kubernetes.io/nodeid":"{\"ebs.csi.aws.com\":\"i-0123456789abcdef{{{i}}}\"}"},
        "managedFields":[{{{ManagedFields("kubelet", "Update", 3000)}}},{{{ManagedFields("kube-controller-manager", "Update", 800)}}},{{{ManagedFields("nfd-master", "Update", 2000)}}}]},
        "spec":{"podCIDR":"10.244.{{{i % 250}}}.0/24","podCIDRs":["10.244.{{{i % 250}}}.0/24"],"providerID":"aws:///zone/i-0123456789abcdef{{{i}}}","taints":[{"key":"nvidia.com/gpu","value":"present","effect":"NoSchedule"}]},
        "status":{"capacity":{"cpu":"96","ephemeral-storage":"1000000000Ki","hugepages-1Gi":"0","hugepages-2Mi":"0","memory":"1152000000Ki","nvidia.com/gpu":"{{{gpus}}}","pods":"110"},
        "allocatable":{"cpu":"95","ephemeral-storage":"900000000Ki","hugepages-1Gi":"0","hugepages-2Mi":"0","memory":"1150000000Ki","nvidia.com/gpu":"{{{gpus}}}","pods":"110"},
        "conditions":[{"type":"MemoryPressure","status":"False","lastHeartbeatTime":"2026-01-01T00:00:00Z","lastTransitionTime":"2026-01-01T00:00:00Z","reason":"KubeletHasSufficientMemory","message":"kubelet has sufficient memory available"},{"type":"DiskPressure","status":"False","lastHeartbeatTime":"2026-01-01T00:00:00Z","lastTransitionTime":"2026-01-01T00:00:00Z","reason":"KubeletHasNoDiskPressure","message":"kubelet has no disk pressure"},{"type":"PIDPressure","status":"False","lastHeartbeatTime":"2026-01-01T00:00:00Z","lastTransitionTime":"2026-01-01T00:00:00Z","reason":"KubeletHasSufficientPID","message":"kubelet has sufficient PID available"},{"type":"Ready","status":"True","lastHeartbeatTime":"2026-01-01T00:00:00Z","lastTransitionTime":"2026-01-01T00:00:00Z","reason":"KubeletReady","message":"kubelet is posting ready status"}],
        "addresses":[{"type":"InternalIP","address":"10.0.{{{i % 250}}}.{{{i % 200}}}"},{"type":"Hostname","address":"{{{name}}}"}],"daemonEndpoints":{"kubeletEndpoint":{"Port":10250}},
        "nodeInfo":{"machineID":"{{{new string('d', 32)}}}","systemUUID":"{{{Guid(i)}}}","bootID":"{{{Guid(i + 1)}}}","kernelVersion":"6.1.0","osImage":"Ubuntu 22.04.4 LTS","containerRuntimeVersion":"containerd://1.7.13","kubeletVersion":"v1.32.0","kubeProxyVersion":"v1.32.0","operatingSystem":"linux","architecture":"amd64"},
        "images":[{{{images}}}]}}
        """);
        return json;
    }

    /// <summary>A managedFields entry whose fieldsV1 is about <paramref name="size"/> bytes of JSON.</summary>
    private static string ManagedFields(string manager, string operation, int size)
    {
        var fields = new StringBuilder("{\"f:metadata\":{\"f:labels\":{");
        for (var f = 0; fields.Length < size; f++)
        {
            fields.Append(CultureInfo.InvariantCulture, $"\"f:field-{f}\":{{}},");
        }

        fields.Append("\".\":{}}}}");
        return string.Create(CultureInfo.InvariantCulture, $$$"""{"manager":"{{{manager}}}","operation":"{{{operation}}}","apiVersion":"v1","time":"2026-01-01T00:00:00Z","fieldsType":"FieldsV1","fieldsV1":{{{fields}}}}""");
    }

    private static string Guid(int i) => string.Create(CultureInfo.InvariantCulture, $"{i:x8}-0000-4000-8000-{i:x12}");

    private static string Escape(string json) => json.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
