namespace Lepton.Testing.KubeApiServer.Http;

/// <summary>
/// Splits a URL into group, version, namespace, resource, name and subresource and derives the RBAC verb,
/// following <c>k8s.io/apiserver/pkg/endpoints/request/requestinfo.go</c>.
/// </summary>
internal static class RequestInfoParser
{
    private static readonly HashSet<string> NamespaceSubresources = ["status", "finalize"];

    public static RequestInfo Parse(string method, string path, Func<string, string?> query)
    {
        var parts = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var nonResource = new RequestInfo(false, method.ToLowerInvariant(), path);
        if (parts.Length == 0 || parts[0] is not ("api" or "apis"))
        {
            return nonResource;
        }

        string group;
        string version;
        int index;
        if (parts[0] == "api")
        {
            if (parts.Length < 2)
            {
                return nonResource;
            }

            group = "";
            version = parts[1];
            index = 2;
        }
        else
        {
            if (parts.Length < 3)
            {
                return nonResource;
            }

            group = parts[1];
            version = parts[2];
            index = 3;
        }

        var rest = parts[index..];
        if (rest.Length == 0)
        {
            return nonResource with { ApiGroup = group, ApiVersion = version };
        }

        var legacyWatch = false;
        if (rest[0] == "watch")
        {
            legacyWatch = true;
            rest = rest[1..];
        }

        var ns = "";
        if (rest.Length > 0 && rest[0] == "namespaces")
        {
            if (rest.Length > 1)
            {
                ns = rest[1];
                // namespaces/{name}/status and /finalize address the namespace itself.
                rest = rest.Length > 2 && !NamespaceSubresources.Contains(rest[2]) ? rest[2..] : ["namespaces", .. rest[1..]];
            }
        }

        var resource = rest.Length > 0 ? rest[0] : "";
        var name = rest.Length > 1 ? rest[1] : "";
        var subresource = rest.Length > 2 ? rest[2] : "";
        if (resource == "namespaces")
        {
            ns = name;
        }

        var watch = legacyWatch || query("watch") is "true" or "1";
        var verb = method.ToUpperInvariant() switch
        {
            "GET" or "HEAD" when watch => "watch",
            "GET" or "HEAD" => name.Length > 0 ? "get" : "list",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => name.Length > 0 ? "delete" : "deletecollection",
            _ => method.ToLowerInvariant(),
        };

        return new RequestInfo(true, verb, path, group, version, ns, resource, subresource, name);
    }
}
