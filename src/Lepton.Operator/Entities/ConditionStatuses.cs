namespace Lepton.Operator.Entities;

/// <summary>The values of metav1.Condition <c>status</c>.</summary>
public static class ConditionStatuses
{
    /// <summary>The condition holds.</summary>
    public const string True = "True";

    /// <summary>The condition does not hold.</summary>
    public const string False = "False";

    /// <summary>The controller cannot tell.</summary>
    public const string Unknown = "Unknown";

    /// <summary>Every allowed value.</summary>
    public static IReadOnlyList<string> All { get; } = [True, False, Unknown];
}
