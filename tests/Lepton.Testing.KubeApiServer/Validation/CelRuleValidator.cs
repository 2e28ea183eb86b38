using System.Globalization;
using System.Text.Json.Nodes;
using Cel;
using Lepton.Testing.KubeApiServer.Errors;

namespace Lepton.Testing.KubeApiServer.Validation;

/// <summary>
/// Evaluates the <c>x-kubernetes-validations</c> rules of a schema tree against an object, as
/// apiextensions-apiserver's CEL validator does: <c>self</c> is the value at the rule's node,
/// <c>oldSelf</c> its correlated old value; transition rules (those that read <c>oldSelf</c>) run only
/// when there is one. A failure is reported at the node's path (plus the rule's <c>fieldPath</c>) as
/// <c>Invalid value: "{schema type}": {message}</c>, the form of Kubernetes 1.32; a failure of a rule
/// whose value did not change is ratcheted away.
/// </summary>
internal sealed class CelRuleValidator(CelRuleCompiler compiler)
{
    public void Validate(JsonNode? value, StructuralSchema schema, string path, JsonNode? old, List<FieldError> errors)
    {
        if (value is null)
        {
            return;
        }

        foreach (var rule in schema.Rules)
        {
            Evaluate(rule, value, schema, path, old, errors);
        }

        switch (value)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    if (schema.Properties.TryGetValue(name, out var property))
                    {
                        Validate(child, property, Join(path, name), (old as JsonObject)?[name], errors);
                    }
                    else if (schema.AdditionalProperties is { } values)
                    {
                        Validate(child, values, $"{path}[{name}]", (old as JsonObject)?[name], errors);
                    }
                }

                break;
            case JsonArray array when schema.Items is { } items:
                for (var i = 0; i < array.Count; i++)
                {
                    Validate(array[i], items, string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"), ListCorrelation.OldItem(schema, array[i], old as JsonArray), errors);
                }

                break;
        }
    }

    private static string Join(string path, string child) => path.Length == 0 ? child : path + "." + child;

    private void Evaluate(ValidationRule rule, JsonNode value, StructuralSchema schema, string path, JsonNode? old, List<FieldError> errors)
    {
        if (rule.UsesOldSelf && old is null)
        {
            return;
        }

        var unchanged = old is not null && JsonNode.DeepEquals(old, value);
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal) { ["self"] = compiler.ToCel(value, schema) };
        if (old is not null)
        {
            variables["oldSelf"] = compiler.ToCel(old, schema);
        }

        var type = schema.Type ?? "";
        object? result;
        try
        {
            result = rule.Program.Invoke(variables);
        }
        catch (CelException e)
        {
            if (!unchanged || rule.UsesOldSelf)
            {
                errors.Add(FieldError.Invalid(path, type, $"{e.Message} evaluating rule: {rule.ErrorString}"));
            }

            return;
        }

        if (result is true || (unchanged && !rule.UsesOldSelf))
        {
            return;
        }

        var message = rule.DefaultMessage;
        if (rule.MessageExpression is { } messageExpression)
        {
            try
            {
                if (messageExpression.Invoke(variables) is string text && !string.IsNullOrWhiteSpace(text))
                {
                    message = text.Trim();
                }
            }
            catch (CelException)
            {
                // kube-apiserver falls back to the rule's message when messageExpression fails.
            }
        }

        var fieldPath = rule.FieldPath is null ? path : Join(path, rule.FieldPath);
        errors.Add(rule.Reason switch
        {
            "FieldValueForbidden" => FieldError.Forbidden(fieldPath, message),
            "FieldValueRequired" => FieldError.Required(fieldPath, message),
            "FieldValueDuplicate" => FieldError.Duplicate(fieldPath, type),
            _ => FieldError.Invalid(fieldPath, type, message),
        });
    }
}
