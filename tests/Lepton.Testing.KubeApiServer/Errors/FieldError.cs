using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lepton.Testing.KubeApiServer.Errors;

/// <summary>One validation failure, rendered like apimachinery's <c>field.Error</c>.</summary>
internal sealed record FieldError(string Field, FieldErrorType Type, string Detail, string? BadValue = null)
{
    public static FieldError Required(string field, string detail) => new(field, FieldErrorType.Required, detail);

    public static FieldError Forbidden(string field, string detail) => new(field, FieldErrorType.Forbidden, detail);

    public static FieldError Invalid(string field, JsonNode? value, string detail) => new(field, FieldErrorType.Invalid, detail, Render(value));

    /// <summary>An invalid value rendered verbatim (Go's <c>%#v</c> of non-JSON values, e.g. <c>0x0</c>).</summary>
    public static FieldError InvalidRaw(string field, string renderedValue, string detail) => new(field, FieldErrorType.Invalid, detail, renderedValue);

    public static FieldError NotSupported(string field, JsonNode? value, IEnumerable<string> supported) =>
        new(field, FieldErrorType.NotSupported, "supported values: " + string.Join(", ", supported.Select(s => "\"" + s + "\"")), Render(value));

    public static FieldError TypeInvalid(string field, JsonNode? value, string detail) => new(field, FieldErrorType.TypeInvalid, detail, Render(value));

    /// <summary>apimachinery's <c>field.TooLong</c>: the value is not printed.</summary>
    public static FieldError TooLong(string field, long maxLength) =>
        new(field, FieldErrorType.TooLong, string.Create(CultureInfo.InvariantCulture, $"may not be more than {maxLength} {(maxLength == 1 ? "byte" : "bytes")}"));

    public static FieldError TooMany(string field, long actual, long max) =>
        new(field, FieldErrorType.TooMany, string.Create(CultureInfo.InvariantCulture, $"must have at most {max} {(max == 1 ? "item" : "items")}"), actual.ToString(CultureInfo.InvariantCulture));

    public static FieldError Duplicate(string field, JsonNode? value) => new(field, FieldErrorType.Duplicate, "", Render(value));

    /// <summary>Go's <c>%q</c>/<c>%v</c> of a value closely enough: JSON, without escaping <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c>.</summary>
    private static readonly JsonSerializerOptions GoQuoting = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Render(JsonNode? value) => value?.ToJsonString(GoQuoting) ?? "null";

    public string CauseReason => Type switch
    {
        FieldErrorType.Required => "FieldValueRequired",
        FieldErrorType.Forbidden => "FieldValueForbidden",
        FieldErrorType.NotSupported => "FieldValueNotSupported",
        FieldErrorType.TypeInvalid => "FieldValueTypeInvalid",
        FieldErrorType.TooLong => "FieldValueTooLong",
        FieldErrorType.TooMany => "FieldValueTooMany",
        FieldErrorType.Duplicate => "FieldValueDuplicate",
        _ => "FieldValueInvalid",
    };

    /// <summary>The error without the field path, e.g. <c>Required value: name is required</c>.</summary>
    public string Body
    {
        get
        {
            var prefix = Type switch
            {
                FieldErrorType.Required => "Required value",
                FieldErrorType.Forbidden => "Forbidden",
                FieldErrorType.NotSupported => "Unsupported value",
                FieldErrorType.TooLong => "Too long",
                FieldErrorType.TooMany => "Too many",
                FieldErrorType.Duplicate => "Duplicate value",
                _ => "Invalid value",
            };
            if (Type is FieldErrorType.Invalid or FieldErrorType.NotSupported or FieldErrorType.TypeInvalid or FieldErrorType.TooMany or FieldErrorType.Duplicate)
            {
                prefix += ": " + (BadValue ?? "null");
            }

            return string.IsNullOrEmpty(Detail) ? prefix : prefix + ": " + Detail;
        }
    }

    public override string ToString() => Field + ": " + Body;
}
