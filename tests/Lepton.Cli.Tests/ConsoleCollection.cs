namespace Lepton.Cli.Tests;

/// <summary>
/// Tests that write to or capture the process's console (a started <c>lepton serve</c> logs JSON lines to stdout;
/// <see cref="Serve.ServeLoggingTests"/> redirects <see cref="Console.Out"/>) run one at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console";
}
