namespace Lepton.Simulator.Workloads;

/// <summary>
/// An input file that cannot be used: unreadable, or a malformed row. The message starts with
/// <c>file:line:column:</c> (line and column 1-based; column counts comma-separated fields).
/// </summary>
public sealed class WorkloadFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WorkloadFormatException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public WorkloadFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="inner">The cause.</param>
    public WorkloadFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception for a position in a file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="line">The 1-based line, or 0 for the whole file.</param>
    /// <param name="column">The 1-based field, or 0 for the whole line.</param>
    /// <param name="reason">What is wrong.</param>
    /// <param name="inner">The cause, if any.</param>
    public WorkloadFormatException(string path, int line, int column, string reason, Exception? inner = null)
        : base(Format(path, line, column, reason), inner)
    {
        FilePath = path;
        Line = line;
        Column = column;
        Reason = reason;
    }

    /// <summary>The file, or null when the exception does not point at one.</summary>
    public string? FilePath { get; }

    /// <summary>The 1-based line (0 when the whole file is at fault).</summary>
    public int Line { get; }

    /// <summary>The 1-based column, counted in comma-separated fields (0 when the whole line is at fault).</summary>
    public int Column { get; }

    /// <summary>What is wrong, without the position.</summary>
    public string? Reason { get; }

    private static string Format(string path, int line, int column, string reason) =>
        line <= 0 ? $"{path}: {reason}"
        : column <= 0 ? $"{path}:{line}: {reason}"
        : $"{path}:{line}:{column}: {reason}";
}
