using System.Text.Json;
using k8s;
using k8s.Models;

namespace Lepton.Kubernetes;

/// <summary>
/// Reads the output of <c>kubectl get nodes,pods -A -o json</c> (a <c>v1 List</c>; a NodeList or
/// PodList also works) into nodes, bound pods and pending pods, so Lepton can run against a copy
/// of a real cluster without one.
/// </summary>
public static class ClusterStateFile
{
    /// <summary>Reads and maps a cluster-state file. Nothing is returned unless every item maps.</summary>
    /// <param name="path">The file.</param>
    /// <param name="mapper">The object mapper.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="ClusterStateFileException">The file is missing, is not JSON, is not a List, or an item is malformed.</exception>
    public static ClusterStateSnapshot Load(string path, KubeObjectMapper mapper)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(mapper);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ClusterStateFileException($"{path}: cannot read the cluster-state file: {e.Message}", e);
        }

        return Parse(bytes, path, mapper);
    }

    /// <summary>Parses cluster-state JSON.</summary>
    /// <param name="utf8Json">The file content.</param>
    /// <param name="source">The file name, for messages.</param>
    /// <param name="mapper">The object mapper.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="ClusterStateFileException">The content is not a List of nodes and pods, or an item is malformed.</exception>
    public static ClusterStateSnapshot Parse(ReadOnlyMemory<byte> utf8Json, string source, KubeObjectMapper mapper)
    {
        ArgumentNullException.ThrowIfNull(mapper);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8Json, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new ClusterStateFileException($"{source}:{(e.LineNumber ?? 0) + 1}:{(e.BytePositionInLine ?? 0) + 1}: not valid JSON: {FirstLine(e.Message)}", e);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                throw new ClusterStateFileException($"{source}: expected a Kubernetes List with an 'items' array (the output of 'kubectl get nodes,pods -A -o json').");
            }

            var listKind = root.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
            var nodes = new List<Scheduling.Inventory.NodeInventory>();
            var bound = new List<(Scheduling.Inventory.PodDemand, string)>();
            var pending = new List<(Scheduling.Inventory.PodDemand Pod, int Index)>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            var skipped = 0;
            var index = 0;
            foreach (var item in items.EnumerateArray())
            {
                var kind = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("kind", out var ik) && ik.ValueKind == JsonValueKind.String
                    ? ik.GetString()
                    : listKind switch { "NodeList" => "Node", "PodList" => "Pod", _ => null };
                var where = $"{source}: items[{index}]";
                try
                {
                    switch (kind)
                    {
                        case "Node":
                            var node = mapper.ToInventory(KubernetesJson.Deserialize<V1Node>(item));
                            if (!names.Add(node.Name))
                            {
                                throw new ClusterStateFileException($"{where}: node {node.Name} appears twice.");
                            }

                            nodes.Add(node);
                            break;
                        case "Pod":
                            var pod = KubernetesJson.Deserialize<V1Pod>(item);
                            if (pod.Status?.Phase is "Succeeded" or "Failed")
                            {
                                skipped++;
                                break;
                            }

                            var demand = mapper.ToDemand(pod);
                            if (string.IsNullOrEmpty(pod.Spec?.NodeName))
                            {
                                pending.Add((demand, index));
                            }
                            else
                            {
                                bound.Add((demand, pod.Spec.NodeName));
                            }

                            break;
                        case null:
                            throw new ClusterStateFileException($"{where}: item has no 'kind' (expected Node or Pod).");
                        default:
                            skipped++;
                            break;
                    }
                }
                catch (KubeObjectException e)
                {
                    throw new ClusterStateFileException($"{where}: {e.Message}", e);
                }
                catch (JsonException e)
                {
                    throw new ClusterStateFileException($"{where}: {kind} does not match the Kubernetes schema: {FirstLine(e.Message)}", e);
                }
                catch (FormatException e)
                {
                    throw new ClusterStateFileException($"{where}: {kind} has a malformed value: {FirstLine(e.Message)}", e);
                }

                index++;
            }

            var pendingOrdered = pending
                .OrderBy(p => p.Pod.CreatedAt ?? DateTimeOffset.MaxValue)
                .ThenBy(p => p.Index)
                .Select(p => p.Pod)
                .ToList();
            return new ClusterStateSnapshot(nodes, bound, pendingOrdered, skipped);
        }
    }

    private static string FirstLine(string message)
    {
        var nl = message.IndexOf('\n', StringComparison.Ordinal);
        return nl < 0 ? message : message[..nl];
    }
}
