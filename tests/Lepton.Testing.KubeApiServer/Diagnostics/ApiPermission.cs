namespace Lepton.Testing.KubeApiServer.Diagnostics;

/// <summary>An RBAC permission a client exercised: verb on <c>group</c> / <c>resource[/subresource]</c>.</summary>
public sealed record ApiPermission(string Verb, string ApiGroup, string Resource) : IComparable<ApiPermission>
{
    public int CompareTo(ApiPermission? other)
    {
        if (other is null)
        {
            return 1;
        }

        var byGroup = string.CompareOrdinal(ApiGroup, other.ApiGroup);
        if (byGroup != 0)
        {
            return byGroup;
        }

        var byResource = string.CompareOrdinal(Resource, other.Resource);
        return byResource != 0 ? byResource : string.CompareOrdinal(Verb, other.Verb);
    }

    public override string ToString() => $"{Verb} {(ApiGroup.Length == 0 ? "core" : ApiGroup)}/{Resource}";
}
