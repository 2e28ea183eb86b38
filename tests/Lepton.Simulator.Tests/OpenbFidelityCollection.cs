namespace Lepton.Simulator.Tests;

/// <summary>Tests that share the one openb fidelity table.</summary>
[CollectionDefinition(Name)]
public sealed class OpenbFidelityCollection : ICollectionFixture<OpenbFidelityFixture>
{
    public const string Name = "openb fidelity";
}
