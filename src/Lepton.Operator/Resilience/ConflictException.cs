namespace Lepton.Operator.Resilience;

/// <summary>
/// An API call lost an optimistic-concurrency race (HTTP 409 Conflict, or AlreadyExists on create). Not
/// retried in place: the object must be read again, so the controller requeues the key (rate-limited) and
/// the next reconcile starts from the fresh cache. Not an error.
/// </summary>
public sealed class ConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConflictException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What conflicted.</param>
    public ConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What conflicted.</param>
    /// <param name="innerException">The API error.</param>
    public ConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
