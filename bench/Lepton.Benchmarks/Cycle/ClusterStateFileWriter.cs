using System.Globalization;
using System.Text;
using Lepton.Benchmarks.Extender;
using Lepton.Scheduling.Resources;

namespace Lepton.Benchmarks.Cycle;

/// <summary>
/// Writes a <see cref="SyntheticCluster"/> as the <c>kubectl get nodes,pods -A -o json</c> List that
/// <c>lepton serve --cluster-state</c> loads: each node's realistic core/v1 JSON, and each bound pod
/// with its requests, its share (<c>lepton.ai/gpu-milli</c>), its cards (<c>lepton.ai/gpu-cards</c>)
/// and <c>spec.nodeName</c>, Running.
/// </summary>
public static class ClusterStateFileWriter
{
    /// <summary>Writes the file.</summary>
    /// <param name="cluster">The cluster.</param>
    /// <param name="path">Where.</param>
    public static void Write(SyntheticCluster cluster, string path)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var c = CultureInfo.InvariantCulture;
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        writer.Write("{\"apiVersion\":\"v1\",\"kind\":\"List\",\"metadata\":{},\"items\":[");
        var first = true;
        foreach (var node in cluster.NodeJson)
        {
            writer.Write(first ? string.Empty : ",");
            first = false;
            writer.Write("{\"apiVersion\":\"v1\",\"kind\":\"Node\",");
            writer.Write(node.AsSpan(1));
        }

        foreach (var (pod, nodeName) in cluster.BoundPods)
        {
            var annotations = new List<string>();
            if (pod.GpuMilli is > 0 and < 1000)
            {
                annotations.Add($"\"{ResourceNames.GpuMilliAnnotation}\":\"{pod.GpuMilli.ToString(c)}\"");
            }

            if (pod.CardsHint.Length > 0)
            {
                annotations.Add($"\"{ResourceNames.GpuCardsAnnotation}\":\"{string.Join(',', pod.CardsHint)}\"");
            }

            var gpu = pod.GpuCount > 0 ? $",\"nvidia.com/gpu\":\"{pod.GpuCount.ToString(c)}\"" : string.Empty;
            var requests = $"{{\"cpu\":\"{pod.CpuMilli.ToString(c)}m\",\"memory\":\"{pod.MemoryBytes.ToString(c)}\"{gpu}}}";
            writer.Write(
                $",{{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{{\"name\":\"{pod.Name}\",\"namespace\":\"{pod.Namespace}\",\"uid\":\"{pod.Uid}\",\"resourceVersion\":\"1\"," +
                $"\"creationTimestamp\":\"2026-11-20T09:00:00Z\",\"annotations\":{{{string.Join(',', annotations)}}}}}," +
                $"\"spec\":{{\"nodeName\":\"{nodeName}\",\"schedulerName\":\"lepton-scheduler\",\"containers\":[{{\"name\":\"main\",\"image\":\"ghcr.io/example/server:1.2.3\",\"resources\":{{\"requests\":{requests},\"limits\":{requests}}}}}]}}," +
                "\"status\":{\"phase\":\"Running\",\"qosClass\":\"Guaranteed\"}}");
        }

        writer.Write("]}");
    }
}
