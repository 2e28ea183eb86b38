namespace Lepton.Operator.Crds.Attributes;

/// <summary>
/// Constrains a list property: its size (<c>minItems</c>, <c>maxItems</c>) and, for lists of
/// strings, each item (<c>items.pattern</c>, <c>items.minLength</c>, <c>items.maxLength</c>).
/// -1 or null leaves a bound out.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class ItemsAttribute : Attribute
{
    /// <summary>The minimum number of items, or -1 for none.</summary>
    public int MinItems { get; init; } = -1;

    /// <summary>The maximum number of items, or -1 for none.</summary>
    public int MaxItems { get; init; } = -1;

    /// <summary>A regular expression every string item must match, or null.</summary>
    public string? ItemPattern { get; init; }

    /// <summary>The minimum length of every string item, or -1 for none.</summary>
    public int ItemMinLength { get; init; } = -1;

    /// <summary>The maximum length of every string item, or -1 for none.</summary>
    public int ItemMaxLength { get; init; } = -1;
}
