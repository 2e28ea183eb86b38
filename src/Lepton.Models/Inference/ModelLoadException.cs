namespace Lepton.Models.Inference;

/// <summary>A model bundle could not be used; <see cref="Reason"/> says which fallback applies.</summary>
public sealed class ModelLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelLoadException()
        : this(FallbackReason.LoadError, "The model could not be loaded.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public ModelLoadException(string message)
        : this(FallbackReason.LoadError, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="inner">The cause.</param>
    public ModelLoadException(string message, Exception inner)
        : this(FallbackReason.LoadError, message, inner)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="reason">The fallback reason.</param>
    /// <param name="message">The message.</param>
    /// <param name="inner">The cause, or null.</param>
    public ModelLoadException(FallbackReason reason, string message, Exception? inner = null)
        : base(message, inner) => Reason = reason;

    /// <summary>Which fallback applies: missing, load_error or schema_mismatch.</summary>
    public FallbackReason Reason { get; }
}
