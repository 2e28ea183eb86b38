namespace Lepton.Operator.Entities;

/// <summary>The values of <see cref="V1Alpha1LeptonJobSpec.RestartPolicy"/>.</summary>
public static class LeptonJobRestartPolicies
{
    /// <summary>A failed replica fails the job (the default).</summary>
    public const string Never = "Never";

    /// <summary>A failed replica is recreated; the job fails only when <c>maxRuntime</c> runs out.</summary>
    public const string OnFailure = "OnFailure";

    /// <summary>Every allowed value, in documentation order.</summary>
    public static IReadOnlyList<string> All { get; } = [Never, OnFailure];
}
