using System.Globalization;
using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Resources;

namespace Lepton.Testing.KubeApiServer.Errors;

/// <summary>Builds the <c>v1 Status</c> errors of <c>k8s.io/apimachinery/pkg/api/errors</c>.</summary>
internal static class ApiErrors
{
    public static JsonObject BuildStatus(int code, string reason, string message, JsonObject? details)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        status["code"] = code;
        return status;
    }

    public static JsonObject Success(JsonObject? details = null, int? code = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        if (code is not null)
        {
            status["code"] = code;
        }

        return status;
    }

    public static JsonObject Details(GroupResource resource, string? name, string? uid = null)
    {
        var details = new JsonObject();
        if (!string.IsNullOrEmpty(name))
        {
            details["name"] = name;
        }

        if (!string.IsNullOrEmpty(resource.Group))
        {
            details["group"] = resource.Group;
        }

        details["kind"] = resource.Resource;
        if (uid is not null)
        {
            details["uid"] = uid;
        }

        return details;
    }

    public static KubeApiException NotFound(GroupResource resource, string name) =>
        new(404, "NotFound", F($"{resource} \"{name}\" not found"), Details(resource, name));

    public static KubeApiException NotFoundPath() =>
        new(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    public static KubeApiException AlreadyExists(GroupResource resource, string name) =>
        new(409, "AlreadyExists", F($"{resource} \"{name}\" already exists"), Details(resource, name));

    public static KubeApiException Conflict(GroupResource resource, string name, string error) =>
        new(409, "Conflict", F($"Operation cannot be fulfilled on {resource} \"{name}\": {error}"), Details(resource, name));

    public static KubeApiException StaleResourceVersion(GroupResource resource, string name) =>
        Conflict(resource, name, "the object has been modified; please apply your changes to the latest version and try again");

    public static KubeApiException Invalid(string kind, string group, string name, IReadOnlyList<FieldError> errors)
    {
        var causes = new JsonArray();
        foreach (var error in errors)
        {
            causes.Add(new JsonObject { ["reason"] = error.CauseReason, ["message"] = error.Body, ["field"] = error.Field });
        }

        var details = new JsonObject { ["name"] = name };
        if (!string.IsNullOrEmpty(group))
        {
            details["group"] = group;
        }

        details["kind"] = kind;
        details["causes"] = causes;
        var summary = errors.Count == 1
            ? errors[0].ToString()
            : "[" + string.Join(", ", errors.Select(e => e.ToString())) + "]";
        var qualifiedKind = string.IsNullOrEmpty(group) ? kind : kind + "." + group;
        return new KubeApiException(422, "Invalid", F($"{qualifiedKind} \"{name}\" is invalid: {summary}"), details);
    }

    public static KubeApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static KubeApiException Forbidden(GroupResource resource, string name, string error) =>
        new(403, "Forbidden", F($"{resource} \"{name}\" is forbidden: {error}"), Details(resource, name));

    public static KubeApiException MethodNotSupported(GroupResource resource, string action) =>
        new(405, "MethodNotAllowed", F($"{action} is not supported on resources of kind \"{resource}\""), Details(resource, null));

    public static KubeApiException UnsupportedMediaType(string contentType, IEnumerable<string> accepted) =>
        new(415, "UnsupportedMediaType",
            F($"the body of the request was in an unknown format - accepted media types include: {string.Join(", ", accepted)}"),
            new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["reason"] = "UnexpectedHeader", ["message"] = contentType, ["field"] = "Content-Type" }) });

    public static KubeApiException TooManyRequests(string message, int retryAfterSeconds, JsonArray? causes = null)
    {
        var details = new JsonObject();
        if (causes is not null)
        {
            details["causes"] = causes;
        }

        if (retryAfterSeconds > 0)
        {
            details["retryAfterSeconds"] = retryAfterSeconds;
        }

        return new KubeApiException(429, "TooManyRequests", message, details);
    }

    public static KubeApiException Expired(string message) => new(410, "Expired", message);

    public static KubeApiException TooOldResourceVersion(long requested, long oldest) =>
        Expired(F($"too old resource version: {requested} ({oldest})"));

    public static KubeApiException Internal(string message) =>
        new(500, "InternalError", "Internal error occurred: " + message,
            new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = message }) });

    /// <summary>A Status for an arbitrary code, used by fault injection.</summary>
    public static KubeApiException ForCode(int code, string? message)
    {
        var reason = code switch
        {
            400 => "BadRequest",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "NotFound",
            405 => "MethodNotAllowed",
            409 => "Conflict",
            410 => "Gone",
            415 => "UnsupportedMediaType",
            422 => "Invalid",
            429 => "TooManyRequests",
            503 => "ServiceUnavailable",
            504 => "Timeout",
            _ => code >= 500 ? "InternalError" : "Unknown",
        };
        return new KubeApiException(code, reason, message ?? F($"injected fault: HTTP {code} ({reason})"));
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
