using System.Globalization;
using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Errors;
using Lepton.Testing.KubeApiServer.Json;

namespace Lepton.Testing.KubeApiServer.Validation;

/// <summary>
/// What kube-apiserver does with a CRD version's schema on every write of a custom resource: prune
/// unknown fields and apply defaults while decoding, then validate the OpenAPI keywords and, when they
/// leave the object in a shape the rules can read, the CEL rules.
/// </summary>
internal sealed class CustomResourceSchema
{
    private const string BlockingMessage =
        "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation";

    private readonly CelRuleValidator _rules;

    private CustomResourceSchema(StructuralSchema root, CelRuleCompiler compiler)
    {
        Root = root;
        _rules = new CelRuleValidator(compiler);
    }

    public StructuralSchema Root { get; }

    /// <summary>
    /// Reads the <c>schema.openAPIV3Schema</c> of CRD version <paramref name="version"/> (the
    /// <paramref name="index"/>th); null when it has none. Rules that do not compile and bad patterns
    /// are added to <paramref name="errors"/>.
    /// </summary>
    public static CustomResourceSchema? Read(JsonObject version, int index, List<FieldError> errors)
    {
        if (JsonNodes.GetObject(JsonNodes.GetObject(version, "schema"), "openAPIV3Schema") is not { } schema)
        {
            return null;
        }

        var compiler = new CelRuleCompiler();
        var path = string.Create(CultureInfo.InvariantCulture, $"spec.versions[{index}].schema.openAPIV3Schema");
        return new CustomResourceSchema(StructuralSchema.Read(schema, path, compiler, errors), compiler);
    }

    /// <summary>Prunes unknown fields (returning their paths, sorted) and applies defaults, as decoding does.</summary>
    public IReadOnlyList<string> Decode(JsonObject obj)
    {
        var pruned = new List<string>();
        SchemaPruner.Prune(obj, Root, "", pruned);
        SchemaDefaulter.ApplyDefaults(obj, Root);
        pruned.Sort(StringComparer.Ordinal);
        return pruned;
    }

    /// <summary>
    /// Validates a new object (<paramref name="old"/> null) or an update. On update, unchanged values
    /// are not re-checked (ratcheting), which is also why a status write only answers for its status.
    /// </summary>
    public IReadOnlyList<FieldError> Validate(JsonObject obj, JsonObject? old)
    {
        var errors = new List<FieldError>();
        OpenApiSchemaValidator.Validate(obj, Root, "", old, errors);
        if (errors.Any(e => e.Type is FieldErrorType.NotSupported or FieldErrorType.Required or FieldErrorType.TooLong or FieldErrorType.TooMany or FieldErrorType.TypeInvalid))
        {
            // strategy.go's hasBlockingErr: the rules were written for a well-shaped object.
            errors.Add(FieldError.Invalid("<nil>", "null", BlockingMessage));
            return errors;
        }

        _rules.Validate(obj, Root, "", old, errors);
        return errors;
    }
}
