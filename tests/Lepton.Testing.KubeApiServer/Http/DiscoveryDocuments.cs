using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Json;
using Lepton.Testing.KubeApiServer.Resources;

namespace Lepton.Testing.KubeApiServer.Http;

/// <summary>The legacy (unaggregated) discovery documents, <c>/version</c> and a minimal OpenAPI v3 index.</summary>
internal sealed class DiscoveryDocuments(ResourceRegistry registry, string serverVersion)
{
    public JsonObject Version()
    {
        var trimmed = serverVersion.TrimStart('v').Split('-')[0].Split('.');
        return new JsonObject
        {
            ["major"] = trimmed.ElementAtOrDefault(0) ?? "1",
            ["minor"] = trimmed.ElementAtOrDefault(1) ?? "0",
            ["gitVersion"] = serverVersion,
            ["gitCommit"] = "0000000000000000000000000000000000000000",
            ["gitTreeState"] = "clean",
            ["buildDate"] = "2024-01-01T00:00:00Z",
            ["goVersion"] = "go1.23.0",
            ["compiler"] = "gc",
            ["platform"] = "linux/amd64",
        };
    }

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public JsonObject GroupList()
    {
        var groups = new JsonArray();
        foreach (var group in registry.Groups())
        {
            groups.Add(Group(group));
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    public JsonObject? Group(string name)
    {
        var group = registry.Groups().FirstOrDefault(g => g.Name == name);
        if (group is null)
        {
            return null;
        }

        var document = Group(group);
        document["kind"] = "APIGroup";
        document["apiVersion"] = "v1";
        return document;
    }

    public JsonObject? ResourceList(string group, string version)
    {
        var definitions = registry.InGroupVersion(group, version);
        if (definitions.Count == 0)
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (var definition in definitions.OrderBy(d => d.Plural, StringComparer.Ordinal))
        {
            var entry = new JsonObject
            {
                ["name"] = definition.Plural,
                ["singularName"] = definition.Singular,
                ["namespaced"] = definition.Namespaced,
                ["kind"] = definition.Kind,
                ["verbs"] = JsonNodes.ToArray(definition.Verbs),
            };
            if (definition.ShortNames.Count > 0)
            {
                entry["shortNames"] = JsonNodes.ToArray(definition.ShortNames);
            }

            if (definition.Categories.Count > 0)
            {
                entry["categories"] = JsonNodes.ToArray(definition.Categories);
            }

            resources.Add(entry);
            foreach (var subresource in definition.Subresources)
            {
                var sub = new JsonObject
                {
                    ["name"] = definition.Plural + "/" + subresource.Name,
                    ["singularName"] = "",
                    ["namespaced"] = definition.Namespaced,
                    ["kind"] = subresource.Kind,
                    ["verbs"] = JsonNodes.ToArray(subresource.Verbs),
                };
                if (subresource.Group is not null && subresource.Version is not null && (subresource.Group != group || subresource.Version != version))
                {
                    sub["group"] = subresource.Group;
                    sub["version"] = subresource.Version;
                }

                resources.Add(sub);
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = string.IsNullOrEmpty(group) ? version : group + "/" + version,
            ["resources"] = resources,
        };
    }

    /// <summary>An OpenAPI v3 index listing every group version, each with an empty document.</summary>
    public JsonObject OpenApiV3Index()
    {
        var paths = new JsonObject { ["api/v1"] = PathEntry("api/v1") };
        foreach (var group in registry.Groups())
        {
            foreach (var version in group.Versions)
            {
                var key = "apis/" + group.Name + "/" + version;
                paths[key] = PathEntry(key);
            }
        }

        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>
    /// The OpenAPI v3 document of one group version: no schemas, but a PATCH operation per resource that
    /// declares the <c>fieldValidation</c> parameter, which is what kubectl checks before it relies on
    /// server-side field validation (so <c>kubectl create -f</c> works without <c>--validate=false</c>).
    /// The server accepts the parameter and validates no fields.
    /// </summary>
    public JsonObject? OpenApiV3Document(string path)
    {
        var parts = path.Split('/');
        var (group, version) = parts switch
        {
            ["api", var v] => ("", v),
            ["apis", var g, var v] => (g, v),
            _ => (null, null),
        };
        if (group is null || version is null)
        {
            return null;
        }

        var definitions = registry.InGroupVersion(group, version);
        if (definitions.Count == 0)
        {
            return null;
        }

        var paths = new JsonObject();
        var prefix = group.Length == 0 ? "/api/" + version : "/apis/" + group + "/" + version;
        foreach (var definition in definitions)
        {
            var scope = definition.Namespaced ? "/namespaces/{namespace}" : "";
            paths[prefix + scope + "/" + definition.Plural + "/{name}"] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = "patch" + definition.Kind,
                    ["parameters"] = new JsonArray(
                        new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } },
                        new JsonObject { ["name"] = "dryRun", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } }),
                    ["x-kubernetes-action"] = "patch",
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = definition.Kind },
                },
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes API test server", ["version"] = path },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    private static JsonObject PathEntry(string key) => new() { ["serverRelativeURL"] = "/openapi/v3/" + key };

    private static JsonObject Group(ApiGroupInfo group)
    {
        var versions = new JsonArray();
        foreach (var version in group.Versions)
        {
            versions.Add(new JsonObject { ["groupVersion"] = group.Name + "/" + version, ["version"] = version });
        }

        return new JsonObject
        {
            ["name"] = group.Name,
            ["versions"] = versions,
            ["preferredVersion"] = new JsonObject { ["groupVersion"] = group.Name + "/" + group.PreferredVersion, ["version"] = group.PreferredVersion },
        };
    }
}
