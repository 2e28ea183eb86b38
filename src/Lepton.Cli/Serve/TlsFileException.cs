namespace Lepton.Cli.Serve;

/// <summary>A TLS file of <c>lepton serve</c> is missing or unusable; the message names the flag.</summary>
internal sealed class TlsFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TlsFileException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the flag.</param>
    public TlsFileException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the flag.</param>
    /// <param name="innerException">The cause.</param>
    public TlsFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
