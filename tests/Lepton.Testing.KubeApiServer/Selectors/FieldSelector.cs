using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Json;
using Lepton.Testing.KubeApiServer.Resources;

namespace Lepton.Testing.KubeApiServer.Selectors;

/// <summary>
/// A field selector (<c>?fieldSelector=spec.nodeName=n1,status.phase!=Failed</c>). Only the fields a resource
/// declares are accepted, as on the real server.
/// </summary>
internal sealed class FieldSelector
{
    // Fields the real server renders from booleans that default to false.
    private static readonly Dictionary<string, string> MissingValueDefaults = new(StringComparer.Ordinal)
    {
        ["spec.unschedulable"] = "false",
        ["spec.hostNetwork"] = "false",
    };

    private readonly IReadOnlyList<FieldRequirement> _requirements;

    private FieldSelector(IReadOnlyList<FieldRequirement> requirements)
    {
        _requirements = requirements;
    }

    public static FieldSelector Everything { get; } = new([]);

    public IReadOnlyList<FieldRequirement> Requirements => _requirements;

    public bool IsEverything => _requirements.Count == 0;

    /// <summary>Parses and checks fields against <paramref name="definition"/>; throws <see cref="FormatException"/>.</summary>
    public static FieldSelector Parse(string? text, ResourceDefinition definition)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<FieldRequirement>();
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            var notEqual = part.IndexOf("!=", StringComparison.Ordinal);
            var doubleEqual = part.IndexOf("==", StringComparison.Ordinal);
            var equal = part.IndexOf('=', StringComparison.Ordinal);
            FieldRequirement requirement = notEqual > 0
                ? new(part[..notEqual].Trim(), false, part[(notEqual + 2)..].Trim())
                : doubleEqual > 0
                    ? new(part[..doubleEqual].Trim(), true, part[(doubleEqual + 2)..].Trim())
                    : equal > 0
                        ? new(part[..equal].Trim(), true, part[(equal + 1)..].Trim())
                        : throw new FormatException($"invalid selector: '{text}'; can't understand '{part}'");
            if (requirement.Field is not ("metadata.name" or "metadata.namespace") && !definition.SelectableFields.Contains(requirement.Field, StringComparer.Ordinal))
            {
                throw new FormatException($"field label not supported: {requirement.Field}");
            }

            requirements.Add(requirement);
        }

        return new FieldSelector(requirements);
    }

    public bool Matches(JsonObject obj)
    {
        foreach (var requirement in _requirements)
        {
            var actual = JsonNodes.GetScalarText(obj, requirement.Field.Split('.'))
                ?? MissingValueDefaults.GetValueOrDefault(requirement.Field)
                ?? "";
            if ((actual == requirement.Value) != requirement.Equal)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The name pinned by <c>metadata.name=X</c>, if any (lets a watch on one object be cheap).</summary>
    public string? PinnedName =>
        _requirements.FirstOrDefault(r => r.Equal && r.Field == "metadata.name")?.Value;
}
