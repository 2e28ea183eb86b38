namespace Lepton.Operator.Crds.Attributes;

/// <summary>
/// A regular expression that a string property must match (<c>pattern</c>). Keep to the subset
/// that Go's RE2 and .NET agree on: the API server and the operator's validator both evaluate it.
/// </summary>
/// <param name="pattern">The regular expression, anchored with <c>^</c> and <c>$</c>.</param>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class PatternAttribute(string pattern) : Attribute
{
    /// <summary>The regular expression.</summary>
    public string Pattern { get; } = pattern;
}
