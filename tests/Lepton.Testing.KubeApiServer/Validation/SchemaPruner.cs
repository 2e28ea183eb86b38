using System.Globalization;
using System.Text.Json.Nodes;

namespace Lepton.Testing.KubeApiServer.Validation;

/// <summary>
/// Drops the fields a structural schema does not declare (kube-apiserver's pruning), unless
/// <c>x-kubernetes-preserve-unknown-fields</c> keeps them, and reports their paths
/// (<c>spec.foo</c>, <c>spec.list[0].foo</c>) for <c>fieldValidation</c> Warn and Strict. The root's
/// <c>apiVersion</c>, <c>kind</c> and <c>metadata</c> are the server's and are never pruned here.
/// </summary>
internal static class SchemaPruner
{
    public static void Prune(JsonNode? value, StructuralSchema schema, string path, List<string> pruned)
    {
        switch (value)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToArray())
                {
                    var childPath = path.Length == 0 ? name : path + "." + name;
                    if (path.Length == 0 && name is "apiVersion" or "kind" or "metadata")
                    {
                        continue;
                    }

                    if (schema.PropertySchema(name) is { } childSchema)
                    {
                        Prune(obj[name], childSchema, schema.Properties.ContainsKey(name) ? childPath : $"{path}[{name}]", pruned);
                    }
                    else if (!schema.PreserveUnknownFields)
                    {
                        obj.Remove(name);
                        pruned.Add(childPath);
                    }
                }

                break;
            case JsonArray array when schema.Items is { } items:
                for (var i = 0; i < array.Count; i++)
                {
                    Prune(array[i], items, string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"), pruned);
                }

                break;
        }
    }
}
