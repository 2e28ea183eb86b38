using Lepton.Operator.Entities;

namespace Lepton.Operator.Crds;

/// <summary>The custom resources Lepton defines, for <c>lepton crds</c> and the golden tests.</summary>
public static class LeptonCrds
{
    /// <summary>The root entity types, one CRD each, in the order they are written.</summary>
    public static IReadOnlyList<Type> EntityTypes { get; } = [typeof(V1Alpha1LeptonJob)];
}
