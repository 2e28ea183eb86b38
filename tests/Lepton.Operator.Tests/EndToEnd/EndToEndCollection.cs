namespace Lepton.Operator.Tests.EndToEnd;

/// <summary>End-to-end tests run one at a time: each runs a whole cluster and shares two CPU cores with the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection
{
    public const string Name = "EndToEnd";
}
