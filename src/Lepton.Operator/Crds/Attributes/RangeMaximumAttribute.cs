namespace Lepton.Operator.Crds.Attributes;

/// <summary>The largest allowed value of an integer property (<c>maximum</c>, inclusive).</summary>
/// <param name="maximum">The inclusive maximum.</param>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class RangeMaximumAttribute(long maximum) : Attribute
{
    /// <summary>The inclusive maximum.</summary>
    public long Maximum { get; } = maximum;
}
