using System.Globalization;

namespace Lepton.Models.Training;

/// <summary>
/// Training progress for a terminal: a redrawn progress bar when the output is a terminal, plain
/// lines (one per step, at most every few percent) when it is redirected.
/// </summary>
public sealed class TrainingProgress
{
    private readonly TextWriter _out;
    private readonly bool _interactive;
    private readonly Lock _gate = new();
    private int _lastPercent = -1;

    /// <summary>Creates the reporter.</summary>
    /// <param name="output">Where to write; standard error when null.</param>
    /// <param name="interactive">Redraw a bar; by default when standard error is a terminal.</param>
    public TrainingProgress(TextWriter? output = null, bool? interactive = null)
    {
        _out = output ?? Console.Error;
        _interactive = interactive ?? !Console.IsErrorRedirected;
    }

    /// <summary>A reporter that writes nothing.</summary>
    public static TrainingProgress Silent { get; } = new(TextWriter.Null, false);

    /// <summary>Reports progress of a stage.</summary>
    /// <param name="stage">The stage name.</param>
    /// <param name="done">Steps done.</param>
    /// <param name="total">Steps in total.</param>
    /// <param name="detail">A short status (loss, metric).</param>
    public void Report(string stage, int done, int total, string detail = "")
    {
        lock (_gate)
        {
            ReportLocked(stage, done, total, detail);
        }
    }

    private void ReportLocked(string stage, int done, int total, string detail)
    {
        var percent = total <= 0 ? 100 : (int)(100L * done / total);
        if (_interactive)
        {
            const int width = 30;
            var filled = width * percent / 100;
            _out.Write(string.Create(CultureInfo.InvariantCulture, $"\r{stage,-12} [{new string('#', filled)}{new string('.', width - filled)}] {percent,3}% {detail}   "));
            if (done >= total)
            {
                _out.WriteLine();
            }
        }
        else if (done >= total || percent >= _lastPercent + 10 || _lastPercent < 0)
        {
            _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{stage}: {done}/{total} ({percent}%) {detail}"));
            _lastPercent = done >= total ? -1 : percent;
        }

        if (_interactive)
        {
            _lastPercent = done >= total ? -1 : percent;
        }

        _out.Flush();
    }

    /// <summary>Writes a line.</summary>
    /// <param name="line">The text.</param>
    public void Line(string line)
    {
        lock (_gate)
        {
            _out.WriteLine(line);
            _out.Flush();
        }
    }
}
