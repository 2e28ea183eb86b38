using Lepton.Operator.Crds;

namespace Lepton.Operator.Entities;

/// <summary>
/// The checks on a LeptonJob that its CRD cannot express. Everything the CRD can say (types,
/// ranges, enums, patterns, lengths, required fields and the CEL rules, generated from the entity
/// attributes) the API server enforces on every write, so a job the operator reads has passed it
/// and is trusted; the API server test double enforces the same. What is left is the pod template:
/// it is schemaless in the CRD (<c>x-kubernetes-preserve-unknown-fields</c>), so a template without
/// containers is admitted and would only fail when the operator creates its pods. The operator
/// reports it up front as a Failed job with reason InvalidSpec.
/// </summary>
public static class LeptonJobValidator
{
    /// <summary>Checks what the API server cannot check about a job.</summary>
    /// <param name="job">The job.</param>
    /// <returns>The violations, empty when the job can be run.</returns>
    public static IReadOnlyList<FieldViolation> Validate(V1Alpha1LeptonJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Spec is null)
        {
            // The API server requires spec; only an object that never went through it lacks one.
            return [new FieldViolation("spec", "Required value")];
        }

        if (job.Spec.Template?.Spec?.Containers is not { Count: > 0 })
        {
            return [new FieldViolation("spec.template.spec.containers", "Required value: the pod template needs at least one container")];
        }

        return [];
    }

    /// <summary>Joins violations into one message for a condition or status.message.</summary>
    /// <param name="violations">The violations.</param>
    /// <returns>E.g. <c>invalid spec: spec.template.spec.containers: Required value: ...</c>; empty when there are none.</returns>
    public static string Describe(IReadOnlyList<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        return violations.Count == 0 ? string.Empty : "invalid spec: " + string.Join("; ", violations);
    }
}
