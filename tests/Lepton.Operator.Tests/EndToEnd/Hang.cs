namespace Lepton.Operator.Tests.EndToEnd;

/// <summary>
/// How long a wait of the whole-cluster tests may take before the test is declared hung (never used for timing):
/// generous, because whole clusters share two CPU cores with the rest of the suite.
/// </summary>
public static class Hang
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public static CancellationToken Token() => new CancellationTokenSource(Timeout).Token;
}
