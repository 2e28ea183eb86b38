namespace Lepton.Testing.KubeApiServer.Resources;

/// <summary>A resource within an API group (<c>schema.GroupResource</c>); the storage identity of a resource.</summary>
public readonly record struct GroupResource(string Group, string Resource)
{
    /// <summary>Renders as <c>pods</c> or <c>leptonjobs.lepton.ai</c>, like the API server's messages.</summary>
    public override string ToString() => string.IsNullOrEmpty(Group) ? Resource : Resource + "." + Group;
}
