using System.Globalization;
using Lepton.Operator.Crds;

namespace Lepton.Operator.Entities;

/// <summary>
/// Validates a LeptonJob the way the API server would: the schema's ranges, enums, patterns and
/// lengths (read from the same attributes the CRD is generated from), plus a C# mirror of every
/// CEL rule. The operator runs it before acting on a job, because not every API server it talks
/// to evaluates CEL (the test server does not), and reports failures as a Failed job with reason
/// InvalidSpec.
/// </summary>
public static class LeptonJobValidator
{
    /// <summary>
    /// The CEL rules this validator mirrors. A test checks that every rule in the generated CRD is
    /// listed here, so a new <c>[ValidationRule]</c> cannot ship without its C# twin.
    /// </summary>
    internal static IReadOnlySet<string> MirroredRules { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        V1Alpha1LeptonJobSpec.MinAvailableRule,
        V1Alpha1LeptonJobSpec.TypeImmutableRule,
        V1Alpha1LeptonJobSpec.PositiveDurationRule,
        V1Alpha1LeptonJobAccelerators.GpuMilliRule,
        V1Alpha1LeptonJobAccelerators.GpuModelsRule,
    };

    /// <summary>Validates a job's spec (the job's metadata and status are the API server's and the operator's business).</summary>
    /// <param name="job">The job.</param>
    /// <returns>The violations, empty when the job is valid.</returns>
    public static IReadOnlyList<FieldViolation> Validate(V1Alpha1LeptonJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Spec is null ? [new FieldViolation("spec", "Required value")] : ValidateSpec(job.Spec);
    }

    /// <summary>Validates a spec, reporting paths under <c>spec</c>.</summary>
    /// <param name="spec">The spec.</param>
    /// <returns>The violations, empty when the spec is valid.</returns>
    public static IReadOnlyList<FieldViolation> ValidateSpec(V1Alpha1LeptonJobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var violations = new List<FieldViolation>();
        SchemaValidator.Validate(spec, "spec", violations);

        // CEL: !has(self.minAvailable) || self.minAvailable <= self.replicas
        if (spec.MinAvailable is { } minAvailable && minAvailable > spec.Replicas)
        {
            violations.Add(new FieldViolation(
                "spec.minAvailable",
                string.Create(CultureInfo.InvariantCulture, $"Invalid value: {minAvailable}: minAvailable must not exceed replicas ({spec.Replicas})")));
        }

        // CEL: duration(self) > duration('0s'), on expectedDuration and maxRuntime
        CheckPositive(spec.ExpectedDuration, "spec.expectedDuration", violations);
        CheckPositive(spec.MaxRuntime, "spec.maxRuntime", violations);

        if (spec.Accelerators is { } accelerators)
        {
            // CEL: !has(self.gpuMilli) || self.gpus == 1
            if (accelerators.GpuMilli is { } milli && accelerators.Gpus != 1)
            {
                violations.Add(new FieldViolation(
                    "spec.accelerators.gpuMilli",
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"Invalid value: {milli}: gpuMilli is a share of one GPU: it requires gpus: 1 (gpus is {accelerators.Gpus})")));
            }

            // CEL: !has(self.gpuModels) || self.gpus >= 1
            if (accelerators.GpuModels is not null && accelerators.Gpus < 1)
            {
                violations.Add(new FieldViolation(
                    "spec.accelerators.gpuModels", "Forbidden: gpuModels requires gpus >= 1 (no GPUs are requested)"));
            }
        }

        // Not a schema rule (the template is schemaless), but a pod needs a container.
        if (spec.Template is not null && spec.Template.Spec?.Containers is not { Count: > 0 })
        {
            violations.Add(new FieldViolation("spec.template.spec.containers", "Required value: the pod template needs at least one container"));
        }

        return violations;
    }

    /// <summary>Validates an update: the new spec as in <see cref="ValidateSpec"/>, plus the transition rules (immutable fields).</summary>
    /// <param name="oldSpec">The spec before the update.</param>
    /// <param name="newSpec">The spec after the update.</param>
    /// <returns>The violations, empty when the update is valid.</returns>
    public static IReadOnlyList<FieldViolation> ValidateUpdate(V1Alpha1LeptonJobSpec oldSpec, V1Alpha1LeptonJobSpec newSpec)
    {
        ArgumentNullException.ThrowIfNull(oldSpec);
        ArgumentNullException.ThrowIfNull(newSpec);
        var violations = ValidateSpec(newSpec).ToList();

        // CEL transition rule on type: self == oldSelf
        if (!string.IsNullOrEmpty(oldSpec.Type) && !string.IsNullOrEmpty(newSpec.Type)
            && !string.Equals(oldSpec.Type, newSpec.Type, StringComparison.Ordinal))
        {
            violations.Add(new FieldViolation("spec.type", $"Invalid value: \"{newSpec.Type}\": type is immutable (was \"{oldSpec.Type}\")"));
        }

        return violations;
    }

    /// <summary>Joins violations into one message for a condition or status.message.</summary>
    /// <param name="violations">The violations.</param>
    /// <returns>E.g. <c>invalid spec: spec.replicas: Invalid value: 0: should be greater than or equal to 1</c>; empty when there are none.</returns>
    public static string Describe(IReadOnlyList<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        return violations.Count == 0 ? string.Empty : "invalid spec: " + string.Join("; ", violations);
    }

    private static void CheckPositive(string? duration, string path, List<FieldViolation> violations)
    {
        if (duration is not null && GoDuration.TryParse(duration, out var value) && value <= TimeSpan.Zero)
        {
            violations.Add(new FieldViolation(path, $"Invalid value: \"{duration}\": must be a positive duration"));
        }
    }
}
