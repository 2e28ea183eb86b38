namespace Lepton.Scheduling.Serving;

/// <summary>
/// Whether this replica answers kube-scheduler's verbs now (DECISIONS.md 19): only the elected
/// leader does, and only once its caches hold a list read after it acquired the lease. A replica
/// that is not serving refuses every verb in a way that makes kube-scheduler retry, closes the
/// connection, and never binds.
/// </summary>
public interface IServingGate
{
    /// <summary>True while this replica serves the verbs.</summary>
    bool IsServing { get; }

    /// <summary>Why it does not serve (empty while serving): the refusal's text.</summary>
    string Reason { get; }
}

/// <summary>The gate of a replica that is the only one (<c>--cluster-state</c>, or leader election off): always serving.</summary>
public sealed class AlwaysServing : IServingGate
{
    /// <inheritdoc />
    public bool IsServing => true;

    /// <inheritdoc />
    public string Reason => string.Empty;
}
