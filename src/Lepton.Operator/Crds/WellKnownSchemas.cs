using YamlDotNet.RepresentationModel;

namespace Lepton.Operator.Crds;

/// <summary>
/// Schemas of Kubernetes types that the entities embed but do not declare: metav1.Condition
/// (exactly as controller-gen emits it from apimachinery's markers) and the root ObjectMeta.
/// </summary>
internal static class WellKnownSchemas
{
    /// <summary>metav1.Condition's <c>type</c> pattern: an optional DNS-subdomain prefix and a name.</summary>
    public const string ConditionTypePattern =
        @"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$";

    /// <summary>metav1.Condition's <c>reason</c> pattern: a CamelCase identifier.</summary>
    public const string ConditionReasonPattern = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$";

    /// <summary>metav1.Condition's maximum <c>type</c> length.</summary>
    public const int ConditionTypeMaxLength = 316;

    /// <summary>metav1.Condition's maximum <c>reason</c> length.</summary>
    public const int ConditionReasonMaxLength = 1024;

    /// <summary>metav1.Condition's maximum <c>message</c> length.</summary>
    public const int ConditionMessageMaxLength = 32768;

    /// <summary>The schema of the root <c>metadata</c>: the API server owns ObjectMeta's schema.</summary>
    /// <returns>A new schema node.</returns>
    public static YamlMappingNode ObjectMeta() => new() { { "type", CrdYaml.Str("object") } };

    /// <summary>The schema of one metav1.Condition.</summary>
    /// <returns>A new schema node.</returns>
    public static YamlMappingNode Condition() => new()
    {
        { "description", CrdYaml.Str("Condition contains details for one aspect of the current state of this API Resource.") },
        { "type", CrdYaml.Str("object") },
        {
            "properties", new YamlMappingNode
            {
                {
                    "type", new YamlMappingNode
                    {
                        { "description", CrdYaml.Str("type of condition in CamelCase or in foo.example.com/CamelCase.") },
                        { "type", CrdYaml.Str("string") },
                        { "maxLength", CrdYaml.Int(ConditionTypeMaxLength) },
                        { "pattern", CrdYaml.Str(ConditionTypePattern) },
                    }
                },
                {
                    "status", new YamlMappingNode
                    {
                        { "description", CrdYaml.Str("status of the condition, one of True, False, Unknown.") },
                        { "type", CrdYaml.Str("string") },
                        { "enum", CrdYaml.Strings(["True", "False", "Unknown"]) },
                    }
                },
                {
                    "observedGeneration", new YamlMappingNode
                    {
                        {
                            "description", CrdYaml.Str(
                                "observedGeneration represents the .metadata.generation that the condition was set based upon. "
                                + "For instance, if .metadata.generation is currently 12, but the .status.conditions[x].observedGeneration "
                                + "is 9, the condition is out of date with respect to the current state of the instance.")
                        },
                        { "type", CrdYaml.Str("integer") },
                        { "format", CrdYaml.Str("int64") },
                        { "minimum", CrdYaml.Int(0) },
                    }
                },
                {
                    "lastTransitionTime", new YamlMappingNode
                    {
                        {
                            "description", CrdYaml.Str(
                                "lastTransitionTime is the last time the condition transitioned from one status to another. "
                                + "This should be when the underlying condition changed. If that is not known, then using the time "
                                + "when the API field changed is acceptable.")
                        },
                        { "type", CrdYaml.Str("string") },
                        { "format", CrdYaml.Str("date-time") },
                    }
                },
                {
                    "reason", new YamlMappingNode
                    {
                        {
                            "description", CrdYaml.Str(
                                "reason contains a programmatic identifier indicating the reason for the condition's last transition. "
                                + "Producers of specific condition types may define expected values and meanings for this field, and "
                                + "whether the values are considered a guaranteed API. The value should be a CamelCase string. "
                                + "This field may not be empty.")
                        },
                        { "type", CrdYaml.Str("string") },
                        { "minLength", CrdYaml.Int(1) },
                        { "maxLength", CrdYaml.Int(ConditionReasonMaxLength) },
                        { "pattern", CrdYaml.Str(ConditionReasonPattern) },
                    }
                },
                {
                    "message", new YamlMappingNode
                    {
                        {
                            "description", CrdYaml.Str(
                                "message is a human readable message indicating details about the transition. "
                                + "This may be an empty string.")
                        },
                        { "type", CrdYaml.Str("string") },
                        { "maxLength", CrdYaml.Int(ConditionMessageMaxLength) },
                    }
                },
            }
        },
        { "required", CrdYaml.Strings(["type", "status", "lastTransitionTime", "reason", "message"]) },
    };
}
