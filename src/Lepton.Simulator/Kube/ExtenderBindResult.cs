namespace Lepton.Simulator.Kube;

/// <summary>The bind verb's answer (<c>extenderv1.ExtenderBindingResult</c>).</summary>
/// <param name="Error">Why binding failed, or null on success.</param>
public readonly record struct ExtenderBindResult(string? Error)
{
    /// <summary>A successful bind.</summary>
    public static ExtenderBindResult Success => default;

    /// <summary>True when the pod was bound.</summary>
    public bool Succeeded => Error is null;
}
