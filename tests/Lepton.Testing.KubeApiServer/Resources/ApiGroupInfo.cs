namespace Lepton.Testing.KubeApiServer.Resources;

/// <summary>An API group and its served versions, preferred version first.</summary>
internal sealed record ApiGroupInfo(string Name, IReadOnlyList<string> Versions)
{
    public string PreferredVersion => Versions[0];
}
