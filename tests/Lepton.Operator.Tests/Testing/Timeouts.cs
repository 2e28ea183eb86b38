namespace Lepton.Operator.Tests.Testing;

/// <summary>Generous real-time limits for awaiting events (never used for timing; only to fail a hung test).</summary>
public static class Timeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(20);

    public static CancellationToken Token() => new CancellationTokenSource(Default).Token;
}
