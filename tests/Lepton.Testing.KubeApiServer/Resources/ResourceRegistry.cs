namespace Lepton.Testing.KubeApiServer.Resources;

/// <summary>
/// The table of served resources: the built-ins plus whatever CRDs registered. Thread-safe; readers get
/// immutable snapshots.
/// </summary>
internal sealed class ResourceRegistry
{
    private readonly Lock _gate = new();
    private IReadOnlyList<ResourceDefinition> _definitions;

    public ResourceRegistry(IEnumerable<ResourceDefinition> builtIns)
    {
        _definitions = builtIns.ToArray();
    }

    public IReadOnlyList<ResourceDefinition> All
    {
        get
        {
            lock (_gate)
            {
                return _definitions;
            }
        }
    }

    /// <summary>Replaces every version of <paramref name="resource"/> with <paramref name="versions"/>.</summary>
    public void Replace(GroupResource resource, IReadOnlyList<ResourceDefinition> versions)
    {
        lock (_gate)
        {
            _definitions = _definitions.Where(d => d.GroupResource != resource).Concat(versions).ToArray();
        }
    }

    public void Remove(GroupResource resource) => Replace(resource, []);

    public ResourceDefinition? Find(string group, string version, string plural) =>
        All.FirstOrDefault(d => d.Group == group && d.Version == version && d.Plural == plural);

    /// <summary>The preferred (highest-priority) served version of a resource.</summary>
    public ResourceDefinition? FindPreferred(GroupResource resource) =>
        All.Where(d => d.GroupResource == resource).OrderBy(d => d.Version, KubeVersionComparer.Instance).FirstOrDefault();

    public ResourceDefinition? FindByKind(string apiVersion, string kind) =>
        All.FirstOrDefault(d => d.ApiVersion == apiVersion && d.Kind == kind);

    /// <summary>
    /// Resolves what a person would type after <c>kubectl get</c>: <c>pods</c>, <c>pod</c>, <c>po</c>, <c>Pod</c>,
    /// <c>leptonjobs.lepton.ai</c>, <c>lj</c>. Returns the preferred version.
    /// </summary>
    public ResourceDefinition? Resolve(string text)
    {
        var all = All;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var name = dot < 0 ? text : text[..dot];
        var group = dot < 0 ? null : text[(dot + 1)..];
        var candidates = all
            .Where(d => group is null || d.Group == group)
            .Where(d => string.Equals(d.Plural, name, StringComparison.OrdinalIgnoreCase)
                || string.Equals(d.Singular, name, StringComparison.OrdinalIgnoreCase)
                || string.Equals(d.Kind, name, StringComparison.OrdinalIgnoreCase)
                || d.ShortNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            .ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        // Prefer the core group (kubectl does too: "events" means core events), then the preferred version.
        var best = candidates.OrderBy(d => d.Group.Length == 0 ? 0 : 1).ThenBy(d => d.Version, KubeVersionComparer.Instance).First();
        return FindPreferred(best.GroupResource) ?? best;
    }

    /// <summary>The named API groups (not the core group), for <c>/apis</c>.</summary>
    public IReadOnlyList<ApiGroupInfo> Groups() =>
        All.Where(d => d.Group.Length > 0)
            .GroupBy(d => d.Group)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ApiGroupInfo(g.Key, g.Select(d => d.Version).Distinct().OrderBy(v => v, KubeVersionComparer.Instance).ToArray()))
            .ToArray();

    public IReadOnlyList<ResourceDefinition> InGroupVersion(string group, string version) =>
        All.Where(d => d.Group == group && d.Version == version).ToArray();
}
