using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;

namespace Lepton.Testing;

/// <summary>Kubernetes object builders: typed (for fakes and caches) and as JSON (for the API test server and kube-scheduler's requests).</summary>
public static partial class Make
{
    /// <summary>A core/v1 Pod as camelCase JSON, as kube-scheduler embeds it in extender requests.</summary>
    public static PodBuilder PodJson(string name) => new(name);

    /// <summary>A typed core/v1 Pod with one container, optionally bound and owned by a LeptonJob.</summary>
    public static V1Pod V1Pod(string name, string rv, string ns = "default", string? node = null, string? ownerUid = null) => new()
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

    /// <summary>A typed ConfigMap with an optional <c>value</c> key.</summary>
    public static V1ConfigMap ConfigMap(string name, string rv, string ns = "default", string? value = null) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, ResourceVersion = rv, Uid = "uid-" + name },
        Data = value is null ? null : new Dictionary<string, string> { ["value"] = value },
    };

    /// <summary>A ConfigMap as JSON, without server-set fields, for creating through the API test server.</summary>
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

    /// <summary>A resourceVersion string.</summary>
    public static string Rv(long value) => value.ToString(CultureInfo.InvariantCulture);
}
