namespace Lepton.Operator.Crds.Attributes;

/// <summary>A column that <c>kubectl get</c> prints for the resource (<c>additionalPrinterColumns</c>).</summary>
/// <param name="name">The column header.</param>
/// <param name="jsonPath">The JSONPath of the value, relative to the object, e.g. <c>.status.phase</c>.</param>
/// <param name="type">The OpenAPI type: <c>string</c>, <c>integer</c>, <c>number</c>, <c>boolean</c> or <c>date</c>.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AdditionalPrinterColumnAttribute(string name, string jsonPath, string type) : Attribute
{
    /// <summary>The column header.</summary>
    public string Name { get; } = name;

    /// <summary>The JSONPath of the value, relative to the object.</summary>
    public string JsonPath { get; } = jsonPath;

    /// <summary>The OpenAPI type of the value.</summary>
    public string Type { get; } = type;

    /// <summary>Where the column appears; columns are emitted in ascending order.</summary>
    public int Order { get; init; }

    /// <summary>0 shows the column in the standard view, greater values only with <c>-o wide</c>.</summary>
    public int Priority { get; init; }

    /// <summary>A human-readable description of the column, or null.</summary>
    public string? Description { get; init; }

    /// <summary>An optional OpenAPI format for the column, or null.</summary>
    public string? Format { get; init; }
}
