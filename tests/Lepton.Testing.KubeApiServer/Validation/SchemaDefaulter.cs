using System.Text.Json.Nodes;

namespace Lepton.Testing.KubeApiServer.Validation;

/// <summary>
/// Fills the <c>default</c>s of a structural schema into missing properties, top-down, as
/// kube-apiserver does when it decodes a custom resource (so a rule sees <c>replicas</c> as 1 when it
/// was omitted).
/// </summary>
internal static class SchemaDefaulter
{
    public static void ApplyDefaults(JsonNode? value, StructuralSchema schema)
    {
        switch (value)
        {
            case JsonObject obj:
                foreach (var (name, property) in schema.Properties)
                {
                    if (property.Default is { } defaultValue && !obj.ContainsKey(name))
                    {
                        obj[name] = defaultValue.DeepClone();
                    }
                }

                foreach (var (name, child) in obj.ToArray())
                {
                    if (schema.PropertySchema(name) is { } childSchema)
                    {
                        ApplyDefaults(child, childSchema);
                    }
                }

                break;
            case JsonArray array when schema.Items is { } items:
                foreach (var item in array)
                {
                    ApplyDefaults(item, items);
                }

                break;
        }
    }
}
