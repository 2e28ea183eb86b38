using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cel;
using Lepton.Testing.KubeApiServer.Errors;
using Lepton.Testing.KubeApiServer.Json;

namespace Lepton.Testing.KubeApiServer.Validation;

/// <summary>One compiled <c>x-kubernetes-validations</c> entry.</summary>
internal sealed partial class ValidationRule
{
    private ValidationRule(string rule, CelProgramDelegate program)
    {
        Rule = rule;
        Program = program;
    }

    public string Rule { get; }

    public CelProgramDelegate Program { get; }

    public string? Message { get; private init; }

    public CelProgramDelegate? MessageExpression { get; private init; }

    /// <summary>The <c>fieldPath</c> as path segments to append to the rule's own path, e.g. <c>.gpuMilli</c> → <c>gpuMilli</c>.</summary>
    public string? FieldPath { get; private init; }

    /// <summary>The <c>reason</c>: <c>FieldValueInvalid</c> (the default), <c>FieldValueForbidden</c>, <c>FieldValueRequired</c> or <c>FieldValueDuplicate</c>.</summary>
    public string? Reason { get; private init; }

    /// <summary>Whether the rule is a transition rule: it reads <c>oldSelf</c>, so it runs only on updates.</summary>
    public bool UsesOldSelf { get; private init; }

    /// <summary>The message when the rule fails: <c>message</c>, or <c>failed rule: {rule}</c> (kube's <c>ruleMessageOrDefault</c>).</summary>
    public string DefaultMessage => string.IsNullOrWhiteSpace(Message) ? "failed rule: " + Rule.Trim() : Message.Trim();

    /// <summary>The rule as error texts name it: its message if it has one, else its expression (kube's <c>ruleErrorString</c>).</summary>
    public string ErrorString => string.IsNullOrWhiteSpace(Message) ? Rule.Trim() : Message.Trim();

    public static ValidationRule? Compile(JsonObject node, string path, CelRuleCompiler compiler, List<FieldError> errors)
    {
        var rule = JsonNodes.GetString(node, "rule");
        if (string.IsNullOrWhiteSpace(rule))
        {
            errors.Add(FieldError.Required(path + ".rule", "rule is not specified"));
            return null;
        }

        CelProgramDelegate program;
        CelProgramDelegate? messageProgram = null;
        try
        {
            program = compiler.Compile(rule);
        }
        catch (CelException e)
        {
            errors.Add(FieldError.Invalid(path + ".rule", rule, "compilation failed: " + e.Message));
            return null;
        }

        var messageExpression = JsonNodes.GetString(node, "messageExpression");
        if (!string.IsNullOrWhiteSpace(messageExpression))
        {
            try
            {
                messageProgram = compiler.Compile(messageExpression);
            }
            catch (CelException e)
            {
                errors.Add(FieldError.Invalid(path + ".messageExpression", messageExpression, "messageExpression compilation failed: " + e.Message));
                return null;
            }
        }

        var fieldPath = JsonNodes.GetString(node, "fieldPath");
        return new ValidationRule(rule, program)
        {
            Message = JsonNodes.GetString(node, "message"),
            MessageExpression = messageProgram,
            FieldPath = string.IsNullOrEmpty(fieldPath) ? null : fieldPath.TrimStart('.'),
            Reason = JsonNodes.GetString(node, "reason"),
            UsesOldSelf = OldSelf().IsMatch(rule),
        };
    }

    [GeneratedRegex(@"\boldSelf\b", RegexOptions.CultureInvariant)]
    private static partial Regex OldSelf();
}
