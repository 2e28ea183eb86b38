namespace Lepton.Scheduling.State;

/// <summary>The result of <see cref="ClusterState.Assume"/>.</summary>
/// <param name="Succeeded">Whether the pod is now accounted on the node.</param>
/// <param name="Error">Why not, for the extender's <c>Error</c> field; empty on success.</param>
/// <param name="Placement">The placement on success.</param>
public readonly record struct AssumeOutcome(bool Succeeded, string Error, PlacedPod? Placement)
{
    /// <summary>A failed outcome.</summary>
    /// <param name="error">The reason.</param>
    /// <returns>The outcome.</returns>
    public static AssumeOutcome Fail(string error) => new(false, error, null);
}
