namespace Lepton.Cli.Serve;

/// <summary>The addresses a started <c>lepton serve</c> listens on (with the ports bound for port 0).</summary>
/// <param name="Extender">Where the verbs are served.</param>
/// <param name="Metrics">Where <c>/metrics</c> and the probes are served (the same as <paramref name="Extender"/> on a single port).</param>
internal sealed record ServeAddresses(IReadOnlyList<Uri> Extender, IReadOnlyList<Uri> Metrics);
