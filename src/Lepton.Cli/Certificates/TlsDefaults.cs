namespace Lepton.Cli.Certificates;

/// <summary>Defaults shared by <c>lepton serve</c>, <c>lepton certs ensure</c> and the chart.</summary>
internal static class TlsDefaults
{
    /// <summary>The client identity (DNS SAN) Lepton accepts on the extender port: the chart's kube-scheduler.</summary>
    public const string ClientIdentity = "lepton-scheduler";
}
