namespace Lepton.Operator.Entities;

/// <summary>The values of <see cref="V1Alpha1LeptonJobSpec.Type"/>.</summary>
public static class LeptonJobTypes
{
    /// <summary>A batch job that runs to completion; its replicas form a gang (all or nothing).</summary>
    public const string Training = "Training";

    /// <summary>A long-running serving job; replicas are placed independently.</summary>
    public const string Inference = "Inference";

    /// <summary>Every allowed value, in documentation order.</summary>
    public static IReadOnlyList<string> All { get; } = [Training, Inference];
}
