namespace Lepton.Kubernetes;

/// <summary>A cluster-state file that cannot be read; the message names the file and what is wrong.</summary>
public sealed class ClusterStateFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ClusterStateFileException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The file and what is wrong with it.</param>
    public ClusterStateFileException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The file and what is wrong with it.</param>
    /// <param name="inner">The cause.</param>
    public ClusterStateFileException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
