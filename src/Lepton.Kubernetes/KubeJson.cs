using System.Text.Json;
using k8s;
using k8s.Models;

namespace Lepton.Kubernetes;

/// <summary>Kubernetes JSON helpers with KubernetesClient's serializer settings (camelCase, quantities, dates).</summary>
public static class KubeJson
{
    /// <summary>Deserializes a node from a JSON element.</summary>
    /// <param name="element">The element.</param>
    /// <returns>The node.</returns>
    /// <exception cref="KubeObjectException">The element is not a node object.</exception>
    public static V1Node ToNode(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new KubeObjectException($"Node must be a JSON object, got {element.ValueKind}.");
        }

        try
        {
            return KubernetesJson.Deserialize<V1Node>(element);
        }
        catch (JsonException e)
        {
            throw new KubeObjectException($"Node does not match the Kubernetes schema: {e.Message}", e);
        }
        catch (FormatException e)
        {
            throw new KubeObjectException($"Node has a malformed value: {e.Message}", e);
        }
    }
}
