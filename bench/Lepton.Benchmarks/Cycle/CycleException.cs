namespace Lepton.Benchmarks.Cycle;

/// <summary>A cycle's call failed: not HTTP 200, an <c>Error</c> in the answer, or an answer that does not match the request.</summary>
public sealed class CycleException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CycleException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    public CycleException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public CycleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
