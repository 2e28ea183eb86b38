namespace Lepton.Kubernetes;

/// <summary>A Kubernetes object Lepton cannot map (a malformed quantity, a bad Lepton annotation).</summary>
public sealed class KubeObjectException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KubeObjectException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the object and field.</param>
    public KubeObjectException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="inner">The cause.</param>
    public KubeObjectException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
