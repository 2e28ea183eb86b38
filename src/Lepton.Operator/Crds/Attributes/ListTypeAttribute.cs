namespace Lepton.Operator.Crds.Attributes;

/// <summary>
/// How server-side apply merges a list (<c>x-kubernetes-list-type</c>) and, for <c>map</c> lists,
/// which item fields identify an item (<c>x-kubernetes-list-map-keys</c>; each must be required).
/// </summary>
/// <param name="listType"><c>atomic</c>, <c>set</c> or <c>map</c>.</param>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class ListTypeAttribute(string listType) : Attribute
{
    /// <summary>The list is replaced as a whole.</summary>
    public const string Atomic = "atomic";

    /// <summary>The list holds unique scalars.</summary>
    public const string Set = "set";

    /// <summary>The list is a map keyed by <see cref="MapKeys"/>.</summary>
    public const string Map = "map";

    /// <summary>The list type.</summary>
    public string ListType { get; } = listType;

    /// <summary>The key fields of a <c>map</c> list.</summary>
    public string[] MapKeys { get; init; } = [];
}
