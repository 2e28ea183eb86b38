using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lepton.Testing.KubeApiServer.Errors;
using Lepton.Testing.KubeApiServer.Json;

namespace Lepton.Testing.KubeApiServer.Validation;

/// <summary>
/// One node of a CRD version's <c>openAPIV3Schema</c>, read once when the CRD is registered: the
/// keywords kube-apiserver validates, prunes and defaults with, and its compiled
/// <c>x-kubernetes-validations</c> rules.
/// </summary>
internal sealed class StructuralSchema
{
    private StructuralSchema()
    {
    }

    /// <summary><c>object</c>, <c>array</c>, <c>string</c>, <c>integer</c>, <c>number</c>, <c>boolean</c>; null when untyped.</summary>
    public string? Type { get; private init; }

    public string? Format { get; private init; }

    public bool Nullable { get; private init; }

    public bool IntOrString { get; private init; }

    public bool PreserveUnknownFields { get; private init; }

    public bool EmbeddedResource { get; private init; }

    public IReadOnlyDictionary<string, StructuralSchema> Properties { get; private init; } = new Dictionary<string, StructuralSchema>(StringComparer.Ordinal);

    /// <summary>The schema of a map's values (<c>additionalProperties</c>), if any.</summary>
    public StructuralSchema? AdditionalProperties { get; private init; }

    public StructuralSchema? Items { get; private init; }

    public IReadOnlyList<string> Required { get; private init; } = [];

    public JsonArray? Enum { get; private init; }

    public JsonNode? Default { get; private init; }

    public decimal? Minimum { get; private init; }

    public bool ExclusiveMinimum { get; private init; }

    public decimal? Maximum { get; private init; }

    public bool ExclusiveMaximum { get; private init; }

    public long? MinLength { get; private init; }

    public long? MaxLength { get; private init; }

    public string? Pattern { get; private init; }

    public Regex? PatternRegex { get; private init; }

    public long? MinItems { get; private init; }

    public long? MaxItems { get; private init; }

    public bool UniqueItems { get; private init; }

    public long? MinProperties { get; private init; }

    public long? MaxProperties { get; private init; }

    /// <summary><c>x-kubernetes-list-type</c>: <c>atomic</c> (the default), <c>set</c> or <c>map</c>.</summary>
    public string? ListType { get; private init; }

    public IReadOnlyList<string> ListMapKeys { get; private init; } = [];

    public IReadOnlyList<ValidationRule> Rules { get; private init; } = [];

    /// <summary>
    /// Reads a schema. Broken rules and patterns are reported in <paramref name="errors"/> under
    /// <paramref name="path"/> (the CRD field path of this node), the way CRD validation rejects them.
    /// </summary>
    public static StructuralSchema Read(JsonObject node, string path, CelRuleCompiler compiler, List<FieldError> errors)
    {
        var properties = new Dictionary<string, StructuralSchema>(StringComparer.Ordinal);
        foreach (var (name, child) in JsonNodes.GetObject(node, "properties") ?? [])
        {
            if (child is JsonObject childSchema)
            {
                properties[name] = Read(childSchema, $"{path}.properties[{name}]", compiler, errors);
            }
        }

        var pattern = JsonNodes.GetString(node, "pattern");
        Regex? regex = null;
        if (pattern is not null)
        {
            try
            {
                regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                errors.Add(FieldError.Invalid(path + ".pattern", pattern, "must be a valid regular expression, but isn't: " + e.Message));
            }
        }

        var rules = new List<ValidationRule>();
        var declared = JsonNodes.GetArray(node, "x-kubernetes-validations")?.OfType<JsonObject>().ToList() ?? [];
        for (var i = 0; i < declared.Count; i++)
        {
            var rulePath = string.Create(CultureInfo.InvariantCulture, $"{path}.x-kubernetes-validations[{i}]");
            if (ValidationRule.Compile(declared[i], rulePath, compiler, errors) is { } rule)
            {
                rules.Add(rule);
            }
        }

        return new StructuralSchema
        {
            Type = JsonNodes.GetString(node, "type"),
            Format = JsonNodes.GetString(node, "format"),
            Nullable = JsonNodes.GetBool(node, "nullable") == true,
            IntOrString = JsonNodes.GetBool(node, "x-kubernetes-int-or-string") == true,
            PreserveUnknownFields = JsonNodes.GetBool(node, "x-kubernetes-preserve-unknown-fields") == true,
            EmbeddedResource = JsonNodes.GetBool(node, "x-kubernetes-embedded-resource") == true,
            Properties = properties,
            AdditionalProperties = node["additionalProperties"] is JsonObject additional
                ? Read(additional, path + ".additionalProperties", compiler, errors)
                : null,
            Items = node["items"] is JsonObject items ? Read(items, path + ".items", compiler, errors) : null,
            Required = JsonNodes.StringList(JsonNodes.GetArray(node, "required")),
            Enum = JsonNodes.GetArray(node, "enum")?.DeepClone() as JsonArray,
            Default = node["default"]?.DeepClone(),
            Minimum = Number(node, "minimum"),
            ExclusiveMinimum = JsonNodes.GetBool(node, "exclusiveMinimum") == true,
            Maximum = Number(node, "maximum"),
            ExclusiveMaximum = JsonNodes.GetBool(node, "exclusiveMaximum") == true,
            MinLength = JsonNodes.GetInt64(node, "minLength"),
            MaxLength = JsonNodes.GetInt64(node, "maxLength"),
            Pattern = pattern,
            PatternRegex = regex,
            MinItems = JsonNodes.GetInt64(node, "minItems"),
            MaxItems = JsonNodes.GetInt64(node, "maxItems"),
            UniqueItems = JsonNodes.GetBool(node, "uniqueItems") == true,
            MinProperties = JsonNodes.GetInt64(node, "minProperties"),
            MaxProperties = JsonNodes.GetInt64(node, "maxProperties"),
            ListType = JsonNodes.GetString(node, "x-kubernetes-list-type"),
            ListMapKeys = JsonNodes.StringList(JsonNodes.GetArray(node, "x-kubernetes-list-map-keys")),
            Rules = rules,
        };
    }

    /// <summary>The schema of property <paramref name="name"/> of an object: a declared property or the map's value schema.</summary>
    public StructuralSchema? PropertySchema(string name) =>
        Properties.TryGetValue(name, out var property) ? property : AdditionalProperties;

    private static decimal? Number(JsonObject node, string key) =>
        node[key] is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            ? decimal.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;
}
