namespace Lepton.Operator.Crds;

/// <summary>
/// One broken rule in an object, in the API server's words: the field path and a message such as
/// <c>Invalid value: 0: should be greater than or equal to 1</c>.
/// </summary>
/// <param name="Path">The field path, e.g. <c>spec.accelerators.gpuMilli</c>.</param>
/// <param name="Message">What is wrong, with the offending value where it helps.</param>
public sealed record FieldViolation(string Path, string Message)
{
    /// <summary>Formats the violation as <c>path: message</c>, the way kubectl prints field errors.</summary>
    /// <returns>The formatted violation.</returns>
    public override string ToString() => $"{Path}: {Message}";
}
