using System.CommandLine;
using Lepton.Cli.Commands;

var root = new RootCommand("Lepton: a Kubernetes scheduler extender and operator for GPU and FPGA workloads.")
{
    ServeCommand.Create(),
    SimulateCommand.Create(),
    CrdsCommand.Create(),
    CertsCommand.Create(),
    TrainCommand.Create(),
};

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
