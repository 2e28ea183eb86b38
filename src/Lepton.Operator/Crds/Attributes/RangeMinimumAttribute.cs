namespace Lepton.Operator.Crds.Attributes;

/// <summary>The smallest allowed value of an integer property (<c>minimum</c>, inclusive).</summary>
/// <param name="minimum">The inclusive minimum.</param>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class RangeMinimumAttribute(long minimum) : Attribute
{
    /// <summary>The inclusive minimum.</summary>
    public long Minimum { get; } = minimum;
}
