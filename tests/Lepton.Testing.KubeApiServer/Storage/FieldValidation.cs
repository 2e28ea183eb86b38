using Lepton.Testing.KubeApiServer.Errors;

namespace Lepton.Testing.KubeApiServer.Storage;

/// <summary>
/// The <c>fieldValidation</c> directive of a write (how unknown fields of a custom resource are
/// treated) and the warnings the write produced. <c>Warn</c> is the server's default: the field is
/// pruned and a warning returned. <c>Strict</c> fails the request with 400; <c>Ignore</c> prunes silently.
/// kubectl 1.27 and later send <c>Strict</c> unless told <c>--validate=false</c>.
/// </summary>
internal sealed class FieldValidation
{
    public const string Ignore = "Ignore";
    public const string Warn = "Warn";
    public const string Strict = "Strict";

    public FieldValidation(string directive = Warn)
    {
        Directive = directive;
    }

    public string Directive { get; }

    /// <summary>Warnings for the <c>Warning</c> response header, e.g. <c>unknown field "spec.foo"</c>.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Reads the query parameter; empty means Warn, anything unknown is 422 as upstream.</summary>
    public static FieldValidation Parse(string? text, string optionsKind) => text switch
    {
        null or "" => new FieldValidation(),
        Ignore or Warn or Strict => new FieldValidation(text),
        _ => throw ApiErrors.Invalid(optionsKind, "meta.k8s.io", "", [FieldError.NotSupported("fieldValidation", text, [Ignore, Strict, Warn])]),
    };
}
