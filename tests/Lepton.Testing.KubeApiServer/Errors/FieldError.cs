using System.Text.Json.Nodes;

namespace Lepton.Testing.KubeApiServer.Errors;

/// <summary>One validation failure, rendered like apimachinery's <c>field.Error</c>.</summary>
internal sealed record FieldError(string Field, FieldErrorType Type, string Detail, JsonNode? BadValue = null)
{
    public static FieldError Required(string field, string detail) => new(field, FieldErrorType.Required, detail);

    public static FieldError Forbidden(string field, string detail) => new(field, FieldErrorType.Forbidden, detail);

    public static FieldError Invalid(string field, JsonNode? value, string detail) => new(field, FieldErrorType.Invalid, detail, value);

    public static FieldError NotSupported(string field, JsonNode? value, IEnumerable<string> supported) =>
        new(field, FieldErrorType.NotSupported, "supported values: " + string.Join(", ", supported.Select(s => "\"" + s + "\"")), value);

    public string CauseReason => Type switch
    {
        FieldErrorType.Required => "FieldValueRequired",
        FieldErrorType.Forbidden => "FieldValueForbidden",
        FieldErrorType.NotSupported => "FieldValueNotSupported",
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
                _ => "Invalid value",
            };
            if (Type is FieldErrorType.Invalid or FieldErrorType.NotSupported)
            {
                prefix += ": " + (BadValue?.ToJsonString() ?? "null");
            }

            return string.IsNullOrEmpty(Detail) ? prefix : prefix + ": " + Detail;
        }
    }

    public override string ToString() => Field + ": " + Body;
}
