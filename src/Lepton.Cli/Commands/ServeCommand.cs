using System.CommandLine;

namespace Lepton.Cli.Commands;

/// <summary><c>lepton serve</c>: hosts the scheduler extender (and, with a cluster, the operator).</summary>
internal static class ServeCommand
{
    /// <summary>Builds the command.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var command = new Command("serve", "Serve the kube-scheduler extender over HTTP.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("lepton serve: not implemented yet.");
            return 2;
        });
        return command;
    }
}
