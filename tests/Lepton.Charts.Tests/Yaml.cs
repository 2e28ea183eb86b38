using YamlDotNet.RepresentationModel;

namespace Lepton.Charts.Tests;

/// <summary>Small navigation helpers over YamlDotNet's representation model.</summary>
internal static class Yaml
{
    public static YamlNode? Get(this YamlNode node, params string[] path)
    {
        var current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    public static string? Str(this YamlNode node, params string[] path) => (node.Get(path) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlNode> Seq(this YamlNode node, params string[] path) =>
        node.Get(path) is YamlSequenceNode seq ? seq.Children : [];

    public static string Kind(this YamlNode doc) => doc.Str("kind") ?? string.Empty;

    public static string Name(this YamlNode doc) => doc.Str("metadata", "name") ?? string.Empty;

    /// <summary>Every pod spec in workload objects (Deployments here).</summary>
    public static IEnumerable<(string Owner, YamlNode PodSpec)> PodSpecs(this IEnumerable<YamlMappingNode> docs) =>
        docs.Where(d => d.Kind() is "Deployment" or "StatefulSet" or "DaemonSet" or "Job")
            .Select(d => ($"{d.Kind()}/{d.Name()}", d.Get("spec", "template", "spec")!));
}
