namespace Lepton.Operator.Crds.Attributes;

/// <summary>Bounds the length of a string property (<c>minLength</c>, <c>maxLength</c>); -1 leaves a bound out.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class LengthAttribute : Attribute
{
    /// <summary>The minimum length in characters, or -1 for none.</summary>
    public int MinLength { get; init; } = -1;

    /// <summary>The maximum length in characters, or -1 for none.</summary>
    public int MaxLength { get; init; } = -1;
}
