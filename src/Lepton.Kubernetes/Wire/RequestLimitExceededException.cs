namespace Lepton.Kubernetes.Wire;

/// <summary>
/// A request carries more items (node names, nodes, victims) than the extender accepts: refused
/// with HTTP 413 while it is read, before any work is spent on it.
/// </summary>
public sealed class RequestLimitExceededException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RequestLimitExceededException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">A one-line reason naming the field and the limit.</param>
    public RequestLimitExceededException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">A one-line reason naming the field and the limit.</param>
    /// <param name="innerException">The cause.</param>
    public RequestLimitExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a field with more than <paramref name="limit"/> items.</summary>
    /// <param name="field">The JSON field, in the protocol's words (<c>NodeNames</c>).</param>
    /// <param name="limit">The limit.</param>
    /// <param name="what">What is counted (<c>node names</c>).</param>
    /// <returns>The exception.</returns>
    public static RequestLimitExceededException For(string field, int limit, string what) =>
        new($"{field}: more than {limit} {what} (the extender's limit per request)");
}
