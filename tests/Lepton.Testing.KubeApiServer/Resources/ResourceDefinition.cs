namespace Lepton.Testing.KubeApiServer.Resources;

/// <summary>
/// One served resource in one group version: what discovery lists and what the store and the HTTP layer
/// consult for scope, verbs, subresources, field selectors and table columns.
/// </summary>
public sealed record ResourceDefinition
{
    /// <summary>The verbs of an ordinary resource.</summary>
    public static readonly IReadOnlyList<string> StandardVerbs =
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    /// <summary>API group; empty for the core group.</summary>
    public required string Group { get; init; }

    public required string Version { get; init; }

    /// <summary>Plural resource name used in URLs, e.g. <c>pods</c>.</summary>
    public required string Plural { get; init; }

    public required string Singular { get; init; }

    public required string Kind { get; init; }

    public bool Namespaced { get; init; }

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    public IReadOnlyList<string> Verbs { get; init; } = StandardVerbs;

    public IReadOnlyList<SubresourceDefinition> Subresources { get; init; } = [];

    /// <summary>Field-selector fields beyond <c>metadata.name</c> and <c>metadata.namespace</c>.</summary>
    public IReadOnlyList<string> SelectableFields { get; init; } = [];

    /// <summary>CRD printer columns; null means the built-in columns for the resource (or Name and Age).</summary>
    public IReadOnlyList<PrinterColumn>? PrinterColumns { get; init; }

    /// <summary>True for resources served through a CustomResourceDefinition.</summary>
    public bool IsCustomResource { get; init; }

    /// <summary>Whether DELETE answers with the deleted object (true) or with a <c>Status</c> (false).</summary>
    public bool ReturnDeletedObject { get; init; }

    /// <summary>Whether a PUT without <c>metadata.resourceVersion</c> is accepted unconditionally.</summary>
    public bool AllowUnconditionalUpdate { get; init; } = true;

    /// <summary>Whether create discards a client-supplied <c>status</c> (the registry's <c>PrepareForCreate</c>).</summary>
    public bool ClearStatusOnCreate { get; init; }

    /// <summary>The CRD version's schema and rules, which writes are pruned, defaulted and validated with; null for built-ins.</summary>
    internal Validation.CustomResourceSchema? Schema { get; init; }

    public string ApiVersion => string.IsNullOrEmpty(Group) ? Version : Group + "/" + Version;

    public GroupResource GroupResource => new(Group, Plural);

    public string ListKind => Kind + "List";

    public bool HasStatusSubresource => FindSubresource(SubresourceDefinition.Status) is not null;

    public SubresourceDefinition? FindSubresource(string name) =>
        Subresources.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));

    public bool SupportsVerb(string verb) => Verbs.Contains(verb, StringComparer.Ordinal);
}
