using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lepton.Testing;

/// <summary>Builds a core/v1 Pod as camelCase JSON, as kube-scheduler embeds it.</summary>
public sealed class PodBuilder(string name)
{
    private readonly Dictionary<string, string> _annotations = [];
    private readonly Dictionary<string, string> _requests = new() { ["cpu"] = "1", ["memory"] = "1Gi" };
    private string _namespace = "default";
    private string _uid = "uid-" + name;
    private string? _resourceVersion = "1";
    private int _priority;

    public PodBuilder Namespace(string ns)
    {
        _namespace = ns;
        return this;
    }

    public PodBuilder Uid(string uid)
    {
        _uid = uid;
        return this;
    }

    public PodBuilder ResourceVersion(string? rv)
    {
        _resourceVersion = rv;
        return this;
    }

    public PodBuilder Cpu(string quantity) => Request("cpu", quantity);

    public PodBuilder Memory(string quantity) => Request("memory", quantity);

    public PodBuilder Gpus(int count) => Request("nvidia.com/gpu", count.ToString(CultureInfo.InvariantCulture));

    public PodBuilder Share(int milli) => Gpus(1).Annotation("lepton.ai/gpu-milli", milli.ToString(CultureInfo.InvariantCulture));

    public PodBuilder Models(string models) => Annotation("lepton.ai/gpu-models", models);

    public PodBuilder Priority(int priority)
    {
        _priority = priority;
        return this;
    }

    public PodBuilder Request(string resource, string quantity)
    {
        _requests[resource] = quantity;
        return this;
    }

    public PodBuilder Annotation(string key, string value)
    {
        _annotations[key] = value;
        return this;
    }

    public JsonObject ToNode()
    {
        var requests = new JsonObject();
        foreach (var (k, v) in _requests)
        {
            requests[k] = v;
        }

        var metadata = new JsonObject { ["name"] = name, ["namespace"] = _namespace, ["uid"] = _uid };
        if (_resourceVersion is not null)
        {
            metadata["resourceVersion"] = _resourceVersion;
        }

        if (_annotations.Count > 0)
        {
            var a = new JsonObject();
            foreach (var (k, v) in _annotations)
            {
                a[k] = v;
            }

            metadata["annotations"] = a;
        }

        return new JsonObject
        {
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["schedulerName"] = "lepton-scheduler",
                ["priority"] = _priority,
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "main",
                    ["image"] = "busybox",
                    ["resources"] = new JsonObject { ["requests"] = requests },
                }),
            },
            ["status"] = new JsonObject { ["phase"] = "Pending" },
        };
    }

    public JsonElement ToElement() => JsonSerializer.SerializeToElement(ToNode());

    public string ToJson() => ToNode().ToJsonString();
}
