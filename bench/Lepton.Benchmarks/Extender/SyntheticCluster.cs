using System.Globalization;
using System.Text;
using Lepton.Scheduling.Inventory;
using Lepton.Testing;

namespace Lepton.Benchmarks.Extender;

/// <summary>
/// A deterministic synthetic GPU cluster for the extender benchmarks: heterogeneous nodes with
/// 1, 2, 4 or 8 GPUs (the openb mix: mostly 2 and 8) plus 10% CPU-only nodes, partly filled with
/// whole, multi-GPU and fractional pods, and each node's realistic core/v1 Node JSON (GPU Feature
/// Discovery labels, conditions, addresses, <c>kubeletEndpoint.Port</c>) for Nodes mode.
/// </summary>
public sealed class SyntheticCluster
{
    private static readonly int[] Milli = [250, 320, 470, 500, 650, 810];

    private SyntheticCluster(List<NodeInventory> nodes, List<(PodDemand, string)> pods, List<string> nodeJson)
    {
        Nodes = nodes;
        BoundPods = pods;
        NodeJson = nodeJson;
    }

    /// <summary>The nodes.</summary>
    public IReadOnlyList<NodeInventory> Nodes { get; }

    /// <summary>The bound pods with their nodes (cards recorded).</summary>
    public IReadOnlyList<(PodDemand Pod, string NodeName)> BoundPods { get; }

    /// <summary>Each node as core/v1 JSON, in <see cref="Nodes"/> order.</summary>
    public IReadOnlyList<string> NodeJson { get; }

    /// <summary>Generates a cluster.</summary>
    /// <param name="nodeCount">How many nodes.</param>
    /// <param name="seed">The random seed.</param>
    /// <returns>The cluster.</returns>
    public static SyntheticCluster Generate(int nodeCount, int seed = 42)
    {
        var random = new Random(seed);
        var nodes = new List<NodeInventory>(nodeCount);
        var pods = new List<(PodDemand, string)>();
        var json = new List<string>(nodeCount);
        var podId = 0;
        for (var i = 0; i < nodeCount; i++)
        {
            var name = "node-" + i.ToString("D5", CultureInfo.InvariantCulture);
            var roll = random.NextDouble();
            var cards = roll < 0.10 ? 0 : roll < 0.12 ? 1 : roll < 0.52 ? 2 : roll < 0.57 ? 4 : 8;
            var cores = cards switch { 0 => 64, 1 => 16, 2 => random.Next(2) == 0 ? 32 : 64, 4 => 64, _ => random.Next(2) == 0 ? 96 : 128 };
            var model = cards switch { 0 => null, 1 => "TESLA-T4", 2 => random.Next(2) == 0 ? "TESLA-T4" : "NVIDIA-A10", 4 => "TESLA-V100-SXM2-16GB", _ => random.Next(2) == 0 ? "NVIDIA-A100-SXM4-80GB" : "TESLA-V100-SXM2-32GB" };
            var inventory = Make.GpuNode(name, cards, cpuMilli: cores * 1000L, memoryGi: cores * 8L, model: model, replicasPerCard: 4);
            nodes.Add(inventory);
            json.Add(NodeObject(name, cores, cards, model, i));

            // Fill: a share of the cards gets whole pods, multi-GPU pods or 1-3 fractional shares.
            var cpuLeft = inventory.CpuMilli;
            var fill = random.NextDouble() * 0.85;
            var card = 0;
            if (cards == 8 && random.NextDouble() < 0.25)
            {
                pods.Add((Pod(ref podId, 4, 1000, 16_000, [0, 1, 2, 3]), name));
                cpuLeft -= 16_000;
                card = 4;
            }

            for (; card < cards; card++)
            {
                if (random.NextDouble() >= fill || cpuLeft < 8000)
                {
                    continue;
                }

                if (random.NextDouble() < 0.5)
                {
                    var cpu = 1000L * random.Next(2, 12);
                    pods.Add((Pod(ref podId, 1, 1000, cpu, [card]), name));
                    cpuLeft -= cpu;
                    continue;
                }

                var used = 0;
                for (var s = 0; s < 1 + random.Next(3); s++)
                {
                    var m = Milli[random.Next(Milli.Length)];
                    if (used + m > 1000)
                    {
                        break;
                    }

                    used += m;
                    var cpu = 1000L * random.Next(1, 6);
                    pods.Add((Pod(ref podId, 1, m, cpu, [card]), name));
                    cpuLeft -= cpu;
                }
            }

            if (cards == 0 && random.NextDouble() < 0.6)
            {
                pods.Add((Pod(ref podId, 0, 0, 1000L * random.Next(4, 32), []), name));
            }
        }

        return new SyntheticCluster(nodes, pods, json);
    }

    /// <summary>A pending pod as kube-scheduler embeds it (about 1.5 KB of core/v1 JSON).</summary>
    /// <param name="shape">Which pod: 0 = 0.5-GPU share, 1 = 1 GPU, 2 = 2 GPUs, 3 = CPU only, 4 = 0.25-GPU share, 5 = 8 GPUs.</param>
    /// <param name="uid">The UID (36 characters, patched per request).</param>
    /// <returns>The JSON.</returns>
    public static string PodJson(int shape, string uid)
    {
        var (gpus, milli, cpu) = shape switch
        {
            0 => (1, 500, "8"),
            1 => (1, 1000, "12"),
            2 => (2, 1000, "16"),
            3 => (0, 0, "4"),
            4 => (1, 250, "4"),
            _ => (8, 1000, "64"),
        };
        var annotations = milli is > 0 and < 1000
            ? "\"lepton.ai/gpu-milli\":\"" + milli.ToString(CultureInfo.InvariantCulture) + "\",\"kubectl.kubernetes.io/default-container\":\"server\""
            : "\"kubectl.kubernetes.io/default-container\":\"server\"";
        var gpu = gpus > 0 ? ",\"nvidia.com/gpu\":\"" + gpus.ToString(CultureInfo.InvariantCulture) + "\"" : string.Empty;
        return "{\"metadata\":{\"name\":\"bench-" + uid[..8] + "\",\"generateName\":\"bench-\",\"namespace\":\"inference\",\"uid\":\"" + uid + "\",\"resourceVersion\":\"4242\",\"creationTimestamp\":\"2026-11-20T10:00:00Z\"," +
            "\"labels\":{\"app\":\"bench\",\"pod-template-hash\":\"5d8f7b9c4\"},\"annotations\":{" + annotations + "}," +
            "\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":\"bench-5d8f7b9c4\",\"uid\":\"9a9a9a9a-0000-4000-8000-000000000001\",\"controller\":true,\"blockOwnerDeletion\":true}]}," +
            "\"spec\":{\"volumes\":[{\"name\":\"kube-api-access-x7k2p\",\"projected\":{\"sources\":[{\"serviceAccountToken\":{\"expirationSeconds\":3607,\"path\":\"token\"}}],\"defaultMode\":420}}]," +
            "\"containers\":[{\"name\":\"server\",\"image\":\"ghcr.io/example/server:1.2.3\",\"ports\":[{\"containerPort\":8080,\"protocol\":\"TCP\"}]," +
            "\"env\":[{\"name\":\"MODEL\",\"value\":\"small\"},{\"name\":\"THREADS\",\"value\":\"8\"}]," +
            "\"resources\":{\"limits\":{\"memory\":\"16Gi\"" + gpu + "},\"requests\":{\"cpu\":\"" + cpu + "\",\"memory\":\"16Gi\"" + gpu + "}}," +
            "\"volumeMounts\":[{\"name\":\"kube-api-access-x7k2p\",\"readOnly\":true,\"mountPath\":\"/var/run/secrets/kubernetes.io/serviceaccount\"}]," +
            "\"terminationMessagePath\":\"/dev/termination-log\",\"terminationMessagePolicy\":\"File\",\"imagePullPolicy\":\"IfNotPresent\"}]," +
            "\"restartPolicy\":\"Always\",\"terminationGracePeriodSeconds\":30,\"dnsPolicy\":\"ClusterFirst\",\"serviceAccountName\":\"default\",\"serviceAccount\":\"default\"," +
            "\"securityContext\":{},\"schedulerName\":\"lepton-scheduler\",\"tolerations\":[{\"key\":\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":300}," +
            "{\"key\":\"nvidia.com/gpu\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}],\"priority\":0,\"enableServiceLinks\":true,\"preemptionPolicy\":\"PreemptLowerPriority\"}," +
            "\"status\":{\"phase\":\"Pending\",\"qosClass\":\"Burstable\"}}";
    }

    private static PodDemand Pod(ref int id, int gpus, int milli, long cpu, int[] cards)
    {
        var uid = "bound-" + id++.ToString("D7", CultureInfo.InvariantCulture);
        return Make.Demand(uid, gpus, milli, cpu, cards: cards) with { Uid = uid, Namespace = "bench", MemoryBytes = cpu * 2 << 20 };
    }

    private static string NodeObject(string name, int cores, int cards, string? model, int index)
    {
        var ip = "10." + (index >> 16).ToString(CultureInfo.InvariantCulture) + "." + ((index >> 8) & 255).ToString(CultureInfo.InvariantCulture) + "." + (index & 255).ToString(CultureInfo.InvariantCulture);
        var labels = new StringBuilder();
        labels.Append("\"beta.kubernetes.io/arch\":\"amd64\",\"beta.kubernetes.io/os\":\"linux\",\"kubernetes.io/arch\":\"amd64\",\"kubernetes.io/hostname\":\"").Append(name)
            .Append("\",\"kubernetes.io/os\":\"linux\",\"topology.kubernetes.io/zone\":\"zone-").Append(index % 3).Append('"');
        var gpu = string.Empty;
        if (cards > 0)
        {
            labels.Append(",\"nvidia.com/gpu.present\":\"true\",\"nvidia.com/gpu.count\":\"").Append(cards).Append("\",\"nvidia.com/gpu.product\":\"").Append(model)
                .Append("\",\"nvidia.com/gpu.memory\":\"81920\",\"nvidia.com/gpu.replicas\":\"4\",\"nvidia.com/gpu.sharing-strategy\":\"time-slicing\",\"nvidia.com/cuda.driver.major\":\"550\"");
            gpu = ",\"nvidia.com/gpu\":\"" + (cards * 4).ToString(CultureInfo.InvariantCulture) + "\"";
        }

        var c = cores.ToString(CultureInfo.InvariantCulture);
        var mem = (cores * 8L * 1024 * 1024).ToString(CultureInfo.InvariantCulture) + "Ki";
        const string Condition = "\"lastHeartbeatTime\":\"2026-11-20T10:00:00Z\",\"lastTransitionTime\":\"2026-10-01T08:00:00Z\"";
        return "{\"metadata\":{\"name\":\"" + name + "\",\"uid\":\"5f1c3a0e-8d21-4b7e-9a57-" + index.ToString("D12", CultureInfo.InvariantCulture) + "\",\"resourceVersion\":\"1234567\",\"creationTimestamp\":\"2026-09-01T08:00:00Z\"," +
            "\"labels\":{" + labels + "},\"annotations\":{\"node.alpha.kubernetes.io/ttl\":\"0\",\"volumes.kubernetes.io/controller-managed-attach-detach\":\"true\"}}," +
            "\"spec\":{\"podCIDR\":\"10.244.0.0/24\",\"podCIDRs\":[\"10.244.0.0/24\"]}," +
            "\"status\":{\"capacity\":{\"cpu\":\"" + c + "\",\"memory\":\"" + mem + "\",\"pods\":\"110\",\"ephemeral-storage\":\"1869622272Ki\"" + gpu + "}," +
            "\"allocatable\":{\"cpu\":\"" + c + "\",\"memory\":\"" + mem + "\",\"pods\":\"110\",\"ephemeral-storage\":\"1723053669703\"" + gpu + "}," +
            "\"conditions\":[{\"type\":\"MemoryPressure\",\"status\":\"False\"," + Condition + ",\"reason\":\"KubeletHasSufficientMemory\",\"message\":\"kubelet has sufficient memory available\"}," +
            "{\"type\":\"DiskPressure\",\"status\":\"False\"," + Condition + ",\"reason\":\"KubeletHasNoDiskPressure\",\"message\":\"kubelet has no disk pressure\"}," +
            "{\"type\":\"PIDPressure\",\"status\":\"False\"," + Condition + ",\"reason\":\"KubeletHasSufficientPID\",\"message\":\"kubelet has sufficient PID available\"}," +
            "{\"type\":\"Ready\",\"status\":\"True\"," + Condition + ",\"reason\":\"KubeletReady\",\"message\":\"kubelet is posting ready status\"}]," +
            "\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"" + ip + "\"},{\"type\":\"Hostname\",\"address\":\"" + name + "\"}]," +
            "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":10250}}," +
            "\"nodeInfo\":{\"machineID\":\"ec2a1b2c3d4e5f60718293a4b5c6d7e8\",\"systemUUID\":\"ec2a1b2c-3d4e-5f60-7182-93a4b5c6d7e8\",\"bootID\":\"0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6\"," +
            "\"kernelVersion\":\"6.8.0-45-generic\",\"osImage\":\"Ubuntu 24.04.1 LTS\",\"containerRuntimeVersion\":\"containerd://1.7.22\",\"kubeletVersion\":\"v1.31.2\"," +
            "\"kubeProxyVersion\":\"v1.31.2\",\"operatingSystem\":\"linux\",\"architecture\":\"amd64\"}}}";
    }
}
