using System.ComponentModel;
using System.Reflection;
using k8s.Models;
using Lepton.Operator.Crds.Attributes;
using YamlDotNet.RepresentationModel;

namespace Lepton.Operator.Crds;

/// <summary>
/// Builds the structural OpenAPI v3 schema of an entity type from its properties, the schema
/// attributes in <see cref="Attributes"/> and the XML documentation (descriptions). Every level
/// gets a <c>type</c>; keys are written in one fixed order and properties in declaration order,
/// so the output is byte-stable.
/// </summary>
internal sealed class SchemaBuilder
{
    /// <summary>The order in which schema keys are written.</summary>
    internal static readonly IReadOnlyList<string> KeyOrder =
    [
        "description", "type", "format", "enum", "default", "minimum", "maximum", "minLength", "maxLength", "pattern",
        "minItems", "maxItems", "items", "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "properties", "required",
        "additionalProperties", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-validations",
    ];

    private readonly XmlDocumentation _docs;
    private readonly Assembly _entityAssembly;

    /// <summary>Creates a builder for the entities of one assembly.</summary>
    /// <param name="entityAssembly">The assembly that declares the entity types (and their XML docs).</param>
    public SchemaBuilder(Assembly entityAssembly)
    {
        _entityAssembly = entityAssembly;
        _docs = XmlDocumentation.For(entityAssembly);
    }

    /// <summary>The <c>openAPIV3Schema</c> of a root entity.</summary>
    /// <param name="entityType">The entity type.</param>
    /// <returns>The schema.</returns>
    public YamlMappingNode Root(Type entityType)
    {
        var schema = ObjectSchema(entityType, isRoot: true);
        schema["description"] = CrdYaml.Str(Describe(entityType));
        return Ordered(schema);
    }

    private Dictionary<string, YamlNode> ObjectSchema(Type type, bool isRoot)
    {
        var schema = new Dictionary<string, YamlNode>(StringComparer.Ordinal) { ["type"] = CrdYaml.Str("object") };
        var properties = new YamlMappingNode();
        var required = new List<string>();
        foreach (var property in SchemaProperty.Of(type))
        {
            if (isRoot && property.JsonName == "metadata")
            {
                properties.Add("metadata", WellKnownSchemas.ObjectMeta());
                continue;
            }

            properties.Add(property.JsonName, PropertySchema(property));
            if (property.Property.GetCustomAttribute<RequiredAttribute>() is not null)
            {
                required.Add(property.JsonName);
            }
        }

        if (properties.Children.Count == 0)
        {
            throw new InvalidOperationException($"{type.FullName} has no schema properties.");
        }

        schema["properties"] = properties;
        if (required.Count > 0)
        {
            schema["required"] = CrdYaml.Strings(required);
        }

        AddValidations(schema, type.GetCustomAttributes<ValidationRuleAttribute>(inherit: true));
        return schema;
    }

    private YamlMappingNode PropertySchema(SchemaProperty schemaProperty)
    {
        var property = schemaProperty.Property;
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var schema = property.GetCustomAttribute<PreserveUnknownFieldsAttribute>() is not null
            ? new Dictionary<string, YamlNode>(StringComparer.Ordinal)
            {
                ["type"] = CrdYaml.Str("object"),
                ["x-kubernetes-preserve-unknown-fields"] = CrdYaml.Bool(true),
            }
            : TypeSchema(type, $"{property.DeclaringType!.Name}.{property.Name}");

        schema["description"] = CrdYaml.Str(Describe(property));

        if (property.GetCustomAttribute<FormatAttribute>() is { } format)
        {
            schema["format"] = CrdYaml.Str(format.Format);
        }

        if (property.GetCustomAttribute<EnumValuesAttribute>() is { } enumValues)
        {
            schema["enum"] = CrdYaml.Strings(enumValues.Values);
        }

        if (property.GetCustomAttribute<DefaultValueAttribute>() is { Value: { } defaultValue })
        {
            schema["default"] = CrdYaml.Scalar(defaultValue);
        }

        if (property.GetCustomAttribute<RangeMinimumAttribute>() is { } minimum)
        {
            schema["minimum"] = CrdYaml.Int(minimum.Minimum);
        }

        if (property.GetCustomAttribute<RangeMaximumAttribute>() is { } maximum)
        {
            schema["maximum"] = CrdYaml.Int(maximum.Maximum);
        }

        if (property.GetCustomAttribute<LengthAttribute>() is { } length)
        {
            AddIfSet(schema, "minLength", length.MinLength);
            AddIfSet(schema, "maxLength", length.MaxLength);
        }

        if (property.GetCustomAttribute<PatternAttribute>() is { } pattern)
        {
            schema["pattern"] = CrdYaml.Str(pattern.Pattern);
        }

        if (property.GetCustomAttribute<ItemsAttribute>() is { } items)
        {
            AddIfSet(schema, "minItems", items.MinItems);
            AddIfSet(schema, "maxItems", items.MaxItems);
            if (items.ItemPattern is not null || items.ItemMinLength >= 0 || items.ItemMaxLength >= 0)
            {
                if (schema.GetValueOrDefault("items") is not YamlMappingNode itemNode)
                {
                    throw new InvalidOperationException($"[Items] with item constraints on {property.Name}, which is not a list.");
                }

                var itemSchema = itemNode.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => c.Value, StringComparer.Ordinal);
                AddIfSet(itemSchema, "minLength", items.ItemMinLength);
                AddIfSet(itemSchema, "maxLength", items.ItemMaxLength);
                if (items.ItemPattern is not null)
                {
                    itemSchema["pattern"] = CrdYaml.Str(items.ItemPattern);
                }

                schema["items"] = Ordered(itemSchema);
            }
        }

        if (property.GetCustomAttribute<ListTypeAttribute>() is { } listType)
        {
            schema["x-kubernetes-list-type"] = CrdYaml.Str(listType.ListType);
            if (listType.MapKeys.Length > 0)
            {
                schema["x-kubernetes-list-map-keys"] = CrdYaml.Strings(listType.MapKeys);
            }
        }

        AddValidations(schema, property.GetCustomAttributes<ValidationRuleAttribute>(inherit: true));
        return Ordered(schema);
    }

    private Dictionary<string, YamlNode> TypeSchema(Type type, string where)
    {
        Dictionary<string, YamlNode> Simple(string openApiType, string? format = null)
        {
            var simple = new Dictionary<string, YamlNode>(StringComparer.Ordinal) { ["type"] = CrdYaml.Str(openApiType) };
            if (format is not null)
            {
                simple["format"] = CrdYaml.Str(format);
            }

            return simple;
        }

        if (type == typeof(string))
        {
            return Simple("string");
        }

        if (type == typeof(int))
        {
            return Simple("integer", "int32");
        }

        if (type == typeof(long))
        {
            return Simple("integer", "int64");
        }

        if (type == typeof(bool))
        {
            return Simple("boolean");
        }

        if (type == typeof(double))
        {
            return Simple("number", "double");
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return Simple("string", FormatAttribute.DateTime);
        }

        if (type == typeof(V1Condition))
        {
            return WellKnownSchemas.Condition().Children.ToDictionary(
                c => ((YamlScalarNode)c.Key).Value!, c => c.Value, StringComparer.Ordinal);
        }

        if (SchemaProperty.IsDictionary(type, out var valueType))
        {
            var dictionary = Simple("object");
            dictionary["additionalProperties"] = Ordered(TypeSchema(valueType, where + "[value]"));
            return dictionary;
        }

        if (SchemaProperty.IsList(type, out var itemType))
        {
            var list = Simple("array");
            var item = TypeSchema(Nullable.GetUnderlyingType(itemType) ?? itemType, where + "[item]");
            if (IsEntityClass(itemType))
            {
                item["description"] = CrdYaml.Str(Describe(itemType));
            }

            list["items"] = Ordered(item);
            return list;
        }

        if (IsEntityClass(type))
        {
            return ObjectSchema(type, isRoot: false);
        }

        throw new NotSupportedException(
            $"No CRD schema for {type.FullName} ({where}): declare it as an entity class in {_entityAssembly.GetName().Name}, "
            + "add it to WellKnownSchemas, or mark the property [PreserveUnknownFields].");
    }

    private bool IsEntityClass(Type type) => type.IsClass && type.Assembly == _entityAssembly && type != typeof(string);

    private string Describe(MemberInfo member) =>
        member.GetCustomAttribute<DescriptionAttribute>()?.Description is { Length: > 0 } explicitText
            ? explicitText
            : _docs.Summary(member) is { Length: > 0 } summary
                ? summary
                : throw new InvalidOperationException(
                    $"{member.DeclaringType?.Name}.{member.Name} has no XML <summary> (it becomes the CRD description); "
                    + $"documentation read from {_docs.Path}.");

    private static void AddValidations(Dictionary<string, YamlNode> schema, IEnumerable<ValidationRuleAttribute> rules)
    {
        var nodes = schema.GetValueOrDefault("x-kubernetes-validations") as YamlSequenceNode ?? new YamlSequenceNode();
        foreach (var rule in rules.OrderBy(r => r.Rule, StringComparer.Ordinal))
        {
            var node = new YamlMappingNode { { "rule", CrdYaml.Str(rule.Rule) } };
            if (rule.Message is not null)
            {
                node.Add("message", CrdYaml.Str(rule.Message));
            }

            if (rule.FieldPath is not null)
            {
                node.Add("fieldPath", CrdYaml.Str(rule.FieldPath));
            }

            if (rule.Reason is not null)
            {
                node.Add("reason", CrdYaml.Str(rule.Reason));
            }

            nodes.Add(node);
        }

        if (nodes.Children.Count > 0)
        {
            schema["x-kubernetes-validations"] = nodes;
        }
    }

    private static void AddIfSet(Dictionary<string, YamlNode> schema, string key, int value)
    {
        if (value >= 0)
        {
            schema[key] = CrdYaml.Int(value);
        }
    }

    private static YamlMappingNode Ordered(Dictionary<string, YamlNode> schema)
    {
        var unknown = schema.Keys.Except(KeyOrder, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"Schema keys without a place in KeyOrder: {string.Join(", ", unknown)}.");
        }

        var node = new YamlMappingNode();
        foreach (var key in KeyOrder)
        {
            if (schema.TryGetValue(key, out var value))
            {
                node.Add(key, value);
            }
        }

        return node;
    }
}
