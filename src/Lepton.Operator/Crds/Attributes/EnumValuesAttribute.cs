namespace Lepton.Operator.Crds.Attributes;

/// <summary>
/// The values a string property may take (<c>enum</c>). Entities keep such properties as strings
/// (not C# enums) so that an unexpected value reaches the validator instead of failing
/// deserialization of the whole object.
/// </summary>
/// <param name="values">The allowed values, in the order they are documented.</param>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class EnumValuesAttribute(params string[] values) : Attribute
{
    /// <summary>The allowed values.</summary>
    public IReadOnlyList<string> Values { get; } = values;
}
