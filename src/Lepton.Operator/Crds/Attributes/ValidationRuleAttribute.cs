namespace Lepton.Operator.Crds.Attributes;

/// <summary>
/// A CEL validation rule (<c>x-kubernetes-validations</c>) evaluated by the API server with
/// <c>self</c> bound to the annotated object or property. A rule that mentions <c>oldSelf</c> is a
/// transition rule, checked on update only. The operator does not re-check rules: the API server
/// (and its test double, <c>tests/Lepton.Testing.KubeApiServer</c>) enforces them.
/// </summary>
/// <param name="rule">The CEL expression; true means valid.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property, AllowMultiple = true, Inherited = true)]
public sealed class ValidationRuleAttribute(string rule) : Attribute
{
    /// <summary>The CEL expression.</summary>
    public string Rule { get; } = rule;

    /// <summary>The message the API server returns when the rule fails.</summary>
    public string? Message { get; init; }

    /// <summary>The JSON path, relative to <c>self</c>, of the field the failure is reported on, or null.</summary>
    public string? FieldPath { get; init; }

    /// <summary>The machine-readable failure reason (<c>FieldValueInvalid</c>, <c>FieldValueForbidden</c>, ...), or null.</summary>
    public string? Reason { get; init; }
}
