using System.Text.Json.Nodes;
using Lepton.Testing;

namespace Lepton.Extender.Tests.TestSupport;

/// <summary>Request bodies exactly as kube-scheduler marshals them.</summary>
internal static class Requests
{
    /// <summary>ExtenderArgs in NodeNames mode (nodeCacheCapable: true).</summary>
    public static string NodeNames(PodBuilder pod, params string[] names)
    {
        var list = new JsonArray();
        foreach (var n in names)
        {
            list.Add(n);
        }

        return new JsonObject { ["Pod"] = pod.ToNode(), ["Nodes"] = null, ["NodeNames"] = list }.ToJsonString();
    }

    /// <summary>ExtenderArgs in Nodes mode (nodeCacheCapable: false), with the raw node JSON given.</summary>
    public static string Nodes(PodBuilder pod, params string[] rawNodes) =>
        "{\"Pod\":" + pod.ToJson() + ",\"Nodes\":{\"metadata\":{},\"items\":[" + string.Join(',', rawNodes) + "]},\"NodeNames\":null}";

    /// <summary>A Node object as the API server would write it (trimmed), including the upper-case <c>Port</c> key.</summary>
    public static string RawNode(string name) =>
        "{\"metadata\":{\"name\":\"" + name + "\",\"uid\":\"uid-" + name + "\",\"labels\":{\"nvidia.com/gpu.count\":\"8\",\"note\":\"caf\\u00e9 <&>\"}}," +
        "\"spec\":{\"podCIDR\":\"10.244.1.0/24\"}," +
        "\"status\":{\"capacity\":{\"cpu\":\"96\",\"nvidia.com/gpu\":\"32\"},\"allocatable\":{\"cpu\":\"96\"}," +
        "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":10250}},\"nodeInfo\":{\"kubeletVersion\":\"v1.31.2\"}, \"weird\" : [1.50, -0.0, 1e3, true, null]}}";

    public static string Bind(string podName, string uid, string node, string ns = "default") =>
        new JsonObject { ["PodName"] = podName, ["PodNamespace"] = ns, ["PodUID"] = uid, ["Node"] = node }.ToJsonString();

    public static string PreemptMeta(PodBuilder pod, params (string Node, string[] Uids, int Pdb)[] nodes)
    {
        var map = new JsonObject();
        foreach (var (node, uids, pdb) in nodes)
        {
            var pods = new JsonArray();
            foreach (var u in uids)
            {
                pods.Add(new JsonObject { ["UID"] = u });
            }

            map[node] = new JsonObject { ["Pods"] = pods, ["NumPDBViolations"] = pdb };
        }

        return new JsonObject { ["Pod"] = pod.ToNode(), ["NodeNameToVictims"] = null, ["NodeNameToMetaVictims"] = map }.ToJsonString();
    }
}
