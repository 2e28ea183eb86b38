namespace Lepton.Cli.Serve;

/// <summary>Which of <c>lepton serve</c>'s ports a connection arrived on.</summary>
internal enum ListenerRole
{
    /// <summary>The extender port (<c>--urls</c>): the four verbs, over mutual TLS when configured.</summary>
    Extender,

    /// <summary>The plain port (<c>--metrics-urls</c>): <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c>, no client certificate.</summary>
    Metrics,
}
