using System.CommandLine;

namespace Lepton.Cli.Commands;

/// <summary><c>lepton simulate</c>: replays a workload through the scheduling core.</summary>
internal static class SimulateCommand
{
    /// <summary>Builds the command.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var command = new Command("simulate", "Replay a GPU cluster trace through Lepton's scoring code.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("lepton simulate: not implemented yet.");
            return 2;
        });
        return command;
    }
}
