namespace Lepton.Operator.Events;

/// <summary>The two Event types Kubernetes knows.</summary>
public static class EventTypes
{
    /// <summary>Something happened as expected.</summary>
    public const string Normal = "Normal";

    /// <summary>Something a user may need to act on.</summary>
    public const string Warning = "Warning";
}
