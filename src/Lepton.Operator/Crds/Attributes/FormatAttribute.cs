namespace Lepton.Operator.Crds.Attributes;

/// <summary>
/// The OpenAPI <c>format</c> of a string property, e.g. <c>duration</c> (a Go duration such as
/// <c>1h30m</c>) or <c>date-time</c>. <see cref="DateTime"/> properties get <c>date-time</c> without it.
/// </summary>
/// <param name="format">The format name.</param>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class FormatAttribute(string format) : Attribute
{
    /// <summary>The <c>duration</c> format: a Go duration string such as <c>90m</c> or <c>1h30m</c>.</summary>
    public const string Duration = "duration";

    /// <summary>The <c>date-time</c> format (RFC 3339).</summary>
    public const string DateTime = "date-time";

    /// <summary>The format name.</summary>
    public string Format { get; } = format;
}
