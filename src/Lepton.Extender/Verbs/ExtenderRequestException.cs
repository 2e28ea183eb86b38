namespace Lepton.Extender.Verbs;

/// <summary>A request the extender cannot read (missing or wrongly typed fields): answered with HTTP 400.</summary>
public sealed class ExtenderRequestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ExtenderRequestException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">A one-line reason.</param>
    public ExtenderRequestException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">A one-line reason.</param>
    /// <param name="inner">The cause.</param>
    public ExtenderRequestException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
