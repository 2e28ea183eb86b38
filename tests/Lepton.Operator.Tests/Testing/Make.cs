using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;

namespace Lepton.Operator.Tests.Testing;

/// <summary>Builders for Kubernetes objects, typed (for fakes) and as JSON (for the API test server).</summary>
public static class Make
{
    public static V1ConfigMap ConfigMap(string name, string rv, string ns = "default", string? value = null) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, ResourceVersion = rv, Uid = "uid-" + name },
        Data = value is null ? null : new Dictionary<string, string> { ["value"] = value },
    };

    public static V1Pod Pod(string name, string rv, string ns = "default", string? node = null, string? ownerUid = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            ResourceVersion = rv,
            Uid = "uid-" + name,
            OwnerReferences = ownerUid is null ? null : [new V1OwnerReference { ApiVersion = "lepton.ai/v1alpha1", Kind = "LeptonJob", Name = "job", Uid = ownerUid }],
        },
        Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "main", Image = "busybox" }] },
    };

    public static JsonObject ConfigMapJson(string name, string ns = "default", string? value = null)
    {
        var obj = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        };
        if (value is not null)
        {
            obj["data"] = new JsonObject { ["value"] = value };
        }

        return obj;
    }

    public static string Rv(long value) => value.ToString(CultureInfo.InvariantCulture);
}
