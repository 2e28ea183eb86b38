namespace Lepton.Operator.Controllers;

/// <summary>
/// Thrown by a reconciler when retrying cannot help (invalid spec, missing permission that needs a human):
/// the controller logs it, counts it as an error and forgets the key until the next change of the object.
/// </summary>
public sealed class TerminalReconcileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TerminalReconcileException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why the object cannot be reconciled.</param>
    public TerminalReconcileException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why the object cannot be reconciled.</param>
    /// <param name="innerException">The cause.</param>
    public TerminalReconcileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
