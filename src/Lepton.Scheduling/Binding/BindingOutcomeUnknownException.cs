namespace Lepton.Scheduling.Binding;

/// <summary>
/// An <see cref="IPodBinder"/> could not learn whether its binding landed: the API call timed out,
/// was cancelled at the request's deadline, or failed in transport after it may have reached the
/// API server. Unlike a refusal, the pod may now be bound to the node, so <c>/bind</c> keeps its
/// assumption until the informer shows what happened (bound there or elsewhere, deleted) or the
/// assumption times out unconfirmed (<see cref="State.ClusterStateOptions.AssumeTimeout"/>).
/// </summary>
public sealed class BindingOutcomeUnknownException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BindingOutcomeUnknownException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is unknown and why.</param>
    public BindingOutcomeUnknownException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is unknown and why.</param>
    /// <param name="innerException">The timeout, cancellation or transport error.</param>
    public BindingOutcomeUnknownException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
