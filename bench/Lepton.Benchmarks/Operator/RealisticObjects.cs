using System.Globalization;
using System.Text.Json.Nodes;

namespace Lepton.Benchmarks.Operator;

/// <summary>
/// Production-shaped Nodes and Pods as JSON, as a real API server serves them: managedFields of four managers,
/// environment, volumes, probes and full status on pods; GPU Feature Discovery labels, conditions and 50 images
/// on nodes. About 8 KB per pod and 14 KB per node on the wire.
/// </summary>
internal static class RealisticObjects
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static JsonObject Node(int i, int gpus = 8)
    {
        var name = Name("node", i);
        var labels = new JsonObject
        {
            ["kubernetes.io/hostname"] = name,
            ["kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "amd64",
            ["node.kubernetes.io/instance-type"] = "p4d.24xlarge",
            ["topology.kubernetes.io/region"] = "us-east-1",
            ["topology.kubernetes.io/zone"] = "us-east-1" + (char)('a' + (i % 4)),
            ["nvidia.com/gpu.product"] = "NVIDIA-A100-SXM4-80GB",
            ["nvidia.com/gpu.count"] = gpus.ToString(C),
            ["nvidia.com/gpu.memory"] = "81920",
            ["nvidia.com/gpu.family"] = "ampere",
            ["nvidia.com/cuda.driver.major"] = "550",
            ["nvidia.com/cuda.driver.minor"] = "54",
            ["nvidia.com/cuda.runtime.major"] = "12",
            ["nvidia.com/gfd.timestamp"] = "1730000000",
            ["feature.node.kubernetes.io/kernel-version.full"] = "5.15.0-1050-aws",
        };
        var images = new JsonArray();
        for (var k = 0; k < 50; k++)
        {
            images.Add(new JsonObject
            {
                ["names"] = new JsonArray($"registry.example.com/team-{k % 7}/image-{k}@sha256:{Hex(i * 131 + k, 64)}", $"registry.example.com/team-{k % 7}/image-{k}:v{k}.{i % 10}"),
                ["sizeBytes"] = 100_000_000L + (k * 7_777_777L),
            });
        }

        var resources = new JsonObject { ["cpu"] = "96", ["memory"] = "1152Gi", ["pods"] = "110", ["ephemeral-storage"] = "7Ti", ["nvidia.com/gpu"] = gpus.ToString(C) };
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["labels"] = labels,
                ["annotations"] = new JsonObject
                {
                    ["node.alpha.kubernetes.io/ttl"] = "0",
                    ["volumes.kubernetes.io/controller-managed-attach-detach"] = "true",
                    ["nfd.node.kubernetes.io/feature-labels"] = "kernel-version.full,cpu-cpuid.AVX512F,pci-10de.present",
                },
                ["managedFields"] = ManagedFields(["kubelet", "kube-controller-manager", "gpu-feature-discovery", "nfd-master"], 900),
            },
            ["spec"] = new JsonObject { ["providerID"] = $"aws:///us-east-1a/i-{Hex(i, 17)}", ["podCIDR"] = $"10.{i / 256 % 256}.{i % 256}.0/24" },
            ["status"] = new JsonObject
            {
                ["capacity"] = resources,
                ["allocatable"] = resources.DeepClone(),
                ["conditions"] = new JsonArray([.. new[] { "MemoryPressure", "DiskPressure", "PIDPressure", "Ready", "NetworkUnavailable" }.Select(t => (JsonNode)new JsonObject
                {
                    ["type"] = t,
                    ["status"] = t == "Ready" ? "True" : "False",
                    ["lastHeartbeatTime"] = "2026-01-01T00:00:00Z",
                    ["lastTransitionTime"] = "2025-12-01T00:00:00Z",
                    ["reason"] = "Kubelet" + t,
                    ["message"] = "kubelet reports " + t,
                })]),
                ["addresses"] = new JsonArray(new JsonObject { ["type"] = "InternalIP", ["address"] = $"10.0.{i / 256 % 256}.{i % 256}" }, new JsonObject { ["type"] = "Hostname", ["address"] = name }),
                ["nodeInfo"] = new JsonObject
                {
                    ["machineID"] = Hex(i, 32),
                    ["systemUUID"] = Hex(i + 1, 32),
                    ["bootID"] = Hex(i + 2, 32),
                    ["kernelVersion"] = "5.15.0-1050-aws",
                    ["osImage"] = "Ubuntu 22.04.4 LTS",
                    ["containerRuntimeVersion"] = "containerd://1.7.13",
                    ["kubeletVersion"] = "v1.30.2",
                    ["kubeProxyVersion"] = "v1.30.2",
                    ["operatingSystem"] = "linux",
                    ["architecture"] = "amd64",
                },
                ["images"] = images,
            },
        };
    }

    public static JsonObject Pod(int i, string node, int gpus)
    {
        var name = Name("pod", i);
        var env = new JsonArray();
        for (var k = 0; k < 12; k++)
        {
            env.Add(new JsonObject { ["name"] = $"SETTING_{k}", ["value"] = $"value-{i}-{k}-{Hex(i * 13 + k, 12)}" });
        }

        var resources = new JsonObject
        {
            ["requests"] = new JsonObject { ["cpu"] = "2", ["memory"] = "8Gi" },
            ["limits"] = new JsonObject { ["cpu"] = "4", ["memory"] = "16Gi" },
        };
        if (gpus > 0)
        {
            resources["limits"]!["nvidia.com/gpu"] = gpus.ToString(C);
        }

        JsonObject Container(string n, JsonObject res) => new()
        {
            ["name"] = n,
            ["image"] = $"registry.example.com/team-{i % 7}/{n}:v{i % 13}",
            ["command"] = new JsonArray("/bin/server", "--config=/etc/app/config.yaml"),
            ["args"] = new JsonArray("--port=8080", $"--replica={i}"),
            ["env"] = env.DeepClone(),
            ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 8080, ["protocol"] = "TCP", ["name"] = "http" }),
            ["resources"] = res,
            ["volumeMounts"] = new JsonArray(
                new JsonObject { ["name"] = "config", ["mountPath"] = "/etc/app" },
                new JsonObject { ["name"] = "data", ["mountPath"] = "/data" },
                new JsonObject { ["name"] = "kube-api-access", ["mountPath"] = "/var/run/secrets/kubernetes.io/serviceaccount", ["readOnly"] = true }),
            ["livenessProbe"] = new JsonObject { ["httpGet"] = new JsonObject { ["path"] = "/healthz", ["port"] = 8080 }, ["periodSeconds"] = 10 },
            ["readinessProbe"] = new JsonObject { ["httpGet"] = new JsonObject { ["path"] = "/readyz", ["port"] = 8080 }, ["periodSeconds"] = 5 },
            ["terminationMessagePath"] = "/dev/termination-log",
            ["imagePullPolicy"] = "IfNotPresent",
        };

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = "team-" + (i % 20).ToString(C),
                ["labels"] = new JsonObject { ["app"] = "svc-" + (i % 500).ToString(C), ["pod-template-hash"] = Hex(i / 10, 10), ["team"] = "team-" + (i % 20).ToString(C) },
                ["annotations"] = new JsonObject
                {
                    ["kubectl.kubernetes.io/restartedAt"] = "2026-01-01T00:00:00Z",
                    ["prometheus.io/scrape"] = "true",
                    ["kubectl.kubernetes.io/last-applied-configuration"] = new string('x', 1200),
                },
                ["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet", ["name"] = "svc-" + (i % 500).ToString(C) + "-" + Hex(i / 10, 10), ["uid"] = Uid(i + 10_000_000), ["controller"] = true, ["blockOwnerDeletion"] = true }),
                ["managedFields"] = ManagedFields(["kube-controller-manager", "kubelet", "kube-scheduler", "kubectl-client-side-apply"], 1100),
            },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = node,
                ["schedulerName"] = "default-scheduler",
                ["containers"] = new JsonArray(Container("server", resources), Container("sidecar", new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "128Mi" } })),
                ["volumes"] = new JsonArray(
                    new JsonObject { ["name"] = "config", ["configMap"] = new JsonObject { ["name"] = "app-config" } },
                    new JsonObject { ["name"] = "data", ["emptyDir"] = new JsonObject() },
                    new JsonObject { ["name"] = "kube-api-access", ["projected"] = new JsonObject { ["sources"] = new JsonArray(new JsonObject { ["serviceAccountToken"] = new JsonObject { ["expirationSeconds"] = 3607, ["path"] = "token" } }) } }),
                ["tolerations"] = new JsonArray(
                    new JsonObject { ["key"] = "node.kubernetes.io/not-ready", ["operator"] = "Exists", ["effect"] = "NoExecute", ["tolerationSeconds"] = 300 },
                    new JsonObject { ["key"] = "nvidia.com/gpu", ["operator"] = "Exists", ["effect"] = "NoSchedule" }),
                ["restartPolicy"] = "Always",
                ["dnsPolicy"] = "ClusterFirst",
                ["serviceAccountName"] = "default",
                ["priority"] = 0,
            },
            ["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["qosClass"] = "Burstable",
                ["podIP"] = $"10.{i / 65536 % 256}.{i / 256 % 256}.{i % 256}",
                ["hostIP"] = "10.0.0.1",
                ["startTime"] = "2026-01-01T00:00:00Z",
                ["conditions"] = new JsonArray([.. new[] { "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled" }.Select(t => (JsonNode)new JsonObject
                {
                    ["type"] = t,
                    ["status"] = "True",
                    ["lastTransitionTime"] = "2026-01-01T00:00:00Z",
                })]),
                ["containerStatuses"] = new JsonArray([.. new[] { "server", "sidecar" }.Select(c => (JsonNode)new JsonObject
                {
                    ["name"] = c,
                    ["ready"] = true,
                    ["restartCount"] = 0,
                    ["image"] = $"registry.example.com/team-{i % 7}/{c}:v{i % 13}",
                    ["imageID"] = $"registry.example.com/team-{i % 7}/{c}@sha256:{Hex(i, 64)}",
                    ["containerID"] = $"containerd://{Hex(i * 3, 64)}",
                    ["started"] = true,
                    ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = "2026-01-01T00:00:05Z" } },
                })]),
            },
        };
    }

    private static JsonArray ManagedFields(string[] managers, int bytes)
    {
        var result = new JsonArray();
        foreach (var manager in managers)
        {
            var fields = new JsonObject();
            for (var k = 0; fields.ToJsonString().Length < bytes; k++)
            {
                fields[$"f:field{k}"] = new JsonObject { [$"f:sub{k}"] = new JsonObject(), ["."] = new JsonObject() };
            }

            result.Add(new JsonObject
            {
                ["manager"] = manager,
                ["operation"] = "Update",
                ["apiVersion"] = "v1",
                ["time"] = "2026-01-01T00:00:00Z",
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = fields,
            });
        }

        return result;
    }

    private static string Name(string kind, int i) => kind + "-" + i.ToString("D6", C);

    private static string Uid(int i) => $"{i:x8}-0000-4000-8000-{i:x12}";

    private static string Hex(int seed, int length)
    {
        var text = new System.Text.StringBuilder(length);
        var x = (uint)seed * 2654435761u + 12345u;
        while (text.Length < length)
        {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            text.Append(x.ToString("x8", C));
        }

        return text.ToString(0, length);
    }
}
