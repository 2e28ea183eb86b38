using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lepton.Testing.KubeApiServer.Errors;

namespace Lepton.Testing.KubeApiServer.Validation;

/// <summary>
/// The OpenAPI v3 keywords of a structural schema, checked the way kube-apiserver's go-openapi validator
/// does and reported in its words (<c>spec.replicas in body should be greater than or equal to 1</c>),
/// mapped to field errors as <c>kubeOpenAPIResultToFieldErrors</c> maps them. Values equal to their
/// correlated old value are not re-checked (validation ratcheting, on by default since Kubernetes 1.30).
/// </summary>
internal static partial class OpenApiSchemaValidator
{
    public static void Validate(JsonNode? value, StructuralSchema schema, string path, JsonNode? old, List<FieldError> errors)
    {
        if (old is not null && JsonNode.DeepEquals(old, value))
        {
            return;
        }

        var actual = TypeName(value);
        if (value is null)
        {
            if (!schema.Nullable && schema.Type is not null)
            {
                errors.Add(FieldError.TypeInvalid(path, "null", $"{path} in body must be of type {schema.Type}: \"null\""));
            }

            return;
        }

        var expected = schema.IntOrString ? "integer,string" : schema.Type;
        if (expected is not null && !Accepts(expected, actual))
        {
            errors.Add(FieldError.TypeInvalid(path, actual, $"{path} in body must be of type {expected}: \"{actual}\""));
            return;
        }

        switch (value)
        {
            case JsonObject obj:
                ValidateObject(obj, schema, path, old as JsonObject, errors);
                break;
            case JsonArray array:
                ValidateArray(array, schema, path, old as JsonArray, errors);
                break;
            default:
                ValidateScalar(value.AsValue(), schema, path, errors);
                break;
        }

        if (schema.Enum is { } allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            errors.Add(FieldError.NotSupported(path, value, allowed.Select(a => a is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : a?.ToJsonString() ?? "null")));
        }
    }

    /// <summary>The go-openapi name of a JSON value's type: <c>integer</c> for integral numbers.</summary>
    public static string TypeName(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        _ => value.AsValue().GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => IsIntegral(value.AsValue()) ? "integer" : "number",
            _ => "null",
        },
    };

    /// <summary>The path of a child in go-openapi's notation: <c>spec.replicas</c>, list items as <c>spec.list.0</c>.</summary>
    public static string Child(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private static bool Accepts(string expected, string actual) => expected switch
    {
        "number" => actual is "number" or "integer",
        "integer,string" => actual is "integer" or "string",
        _ => expected == actual,
    };

    private static bool IsIntegral(JsonValue value) =>
        decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number == decimal.Truncate(number);

    private static void ValidateObject(JsonObject obj, StructuralSchema schema, string path, JsonObject? old, List<FieldError> errors)
    {
        if (schema.MaxProperties is { } maxProperties && obj.Count > maxProperties)
        {
            errors.Add(FieldError.TooMany(path, obj.Count, maxProperties));
        }

        if (schema.MinProperties is { } minProperties && obj.Count < minProperties)
        {
            errors.Add(FieldError.Invalid(path, obj.Count, F($"{path} in body should have at least {minProperties} properties")));
        }

        foreach (var required in schema.Required)
        {
            if (!obj.ContainsKey(required))
            {
                errors.Add(FieldError.Required(Child(path, required), ""));
            }
        }

        foreach (var (name, child) in obj)
        {
            if (path.Length == 0 && name is "metadata" or "apiVersion" or "kind")
            {
                // ObjectMeta and type meta are the API server's own, validated apart from the schema.
                continue;
            }

            if (schema.PropertySchema(name) is { } childSchema)
            {
                Validate(child, childSchema, Child(path, name), old?[name], errors);
            }
        }
    }

    private static void ValidateArray(JsonArray array, StructuralSchema schema, string path, JsonArray? old, List<FieldError> errors)
    {
        if (schema.MaxItems is { } maxItems && array.Count > maxItems)
        {
            errors.Add(FieldError.TooMany(path, array.Count, maxItems));
        }

        if (schema.MinItems is { } minItems && array.Count < minItems)
        {
            errors.Add(FieldError.Invalid(path, array.Count, F($"{path} in body should have at least {minItems} items")));
        }

        if (schema.Items is { } items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Validate(array[i], items, Child(path, i.ToString(CultureInfo.InvariantCulture)), ListCorrelation.OldItem(schema, array[i], old), errors);
            }
        }

        // x-kubernetes-list-type set and map: apiextensions' listtype validation, in field-path notation.
        var seen = new List<JsonNode?>();
        for (var i = 0; i < array.Count; i++)
        {
            var key = schema.ListType switch
            {
                "set" => array[i],
                "map" => ListCorrelation.MapKey(schema, array[i]),
                _ => null,
            };
            if (schema.ListType is "set" or "map")
            {
                if (seen.Any(s => JsonNode.DeepEquals(s, key)))
                {
                    errors.Add(FieldError.Duplicate(F($"{path}[{i}]"), key));
                }

                seen.Add(key);
            }
        }
    }

    private static void ValidateScalar(JsonValue value, StructuralSchema schema, string path, List<FieldError> errors)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                var text = value.GetValue<string>();
                var length = text.EnumerateRunes().Count();
                if (schema.MaxLength is { } maxLength && length > maxLength)
                {
                    errors.Add(FieldError.TooLong(path, maxLength));
                }
                else if (schema.MinLength is { } minLength && length < minLength)
                {
                    errors.Add(FieldError.Invalid(path, value, F($"{path} in body should be at least {minLength} chars long")));
                }
                else if (schema.PatternRegex is { } pattern && !pattern.IsMatch(text))
                {
                    errors.Add(FieldError.Invalid(path, value, $"{path} in body should match '{schema.Pattern}'"));
                }

                if (schema.Format is { } format && !FormatChecks.IsValid(format, text))
                {
                    errors.Add(FieldError.TypeInvalid(path, value, $"{path} in body must be of type {format}: \"{text}\""));
                }

                break;
            case JsonValueKind.Number:
                var number = decimal.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
                if (schema.Minimum is { } minimum && (schema.ExclusiveMinimum ? number <= minimum : number < minimum))
                {
                    var relation = schema.ExclusiveMinimum ? "greater than" : "greater than or equal to";
                    errors.Add(FieldError.Invalid(path, value, $"{path} in body should be {relation} {GoNumber(minimum)}"));
                }

                if (schema.Maximum is { } maximum && (schema.ExclusiveMaximum ? number >= maximum : number > maximum))
                {
                    var relation = schema.ExclusiveMaximum ? "less than" : "less than or equal to";
                    errors.Add(FieldError.Invalid(path, value, $"{path} in body should be {relation} {GoNumber(maximum)}"));
                }

                break;
        }
    }

    /// <summary>A bound as Go's <c>%v</c> prints a float64: <c>1</c>, <c>0.5</c>.</summary>
    private static string GoNumber(decimal value) => ((double)value).ToString(CultureInfo.InvariantCulture);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
