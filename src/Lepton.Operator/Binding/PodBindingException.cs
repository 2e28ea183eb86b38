namespace Lepton.Operator.Binding;

/// <summary>The API server refused a binding: the pod is bound elsewhere, replaced, deleting or gone.</summary>
public sealed class PodBindingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PodBindingException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why the binding failed.</param>
    public PodBindingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why the binding failed.</param>
    /// <param name="innerException">The API error.</param>
    public PodBindingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
