using System.CommandLine;

namespace Lepton.Cli.Commands;

/// <summary><c>lepton crds</c>: writes the CustomResourceDefinitions generated from the C# types.</summary>
internal static class CrdsCommand
{
    /// <summary>Builds the command.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var command = new Command("crds", "Write Lepton's CustomResourceDefinitions (generated from the C# types).");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("lepton crds: not implemented yet.");
            return 2;
        });
        return command;
    }
}
