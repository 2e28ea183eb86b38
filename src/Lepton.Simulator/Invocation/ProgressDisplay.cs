using System.Diagnostics;
using System.Globalization;
using Lepton.Simulator.Running;

namespace Lepton.Simulator.Invocation;

/// <summary>
/// Shows simulation progress: a redrawn bar on a terminal, one plain line per finished run when
/// the output is redirected.
/// </summary>
internal sealed class ProgressDisplay : IProgress<RunProgress>, IDisposable
{
    private const int Width = 30;
    private readonly TextWriter _writer;
    private readonly bool _interactive;
    private readonly Lock _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private bool _drawn;

    public ProgressDisplay(TextWriter writer, bool interactive)
    {
        _writer = writer;
        _interactive = interactive;
    }

    public void Report(RunProgress value)
    {
        lock (_gate)
        {
            var r = value.Last;
            var u = r.UnallocatedAt(100) is { } x ? string.Create(CultureInfo.InvariantCulture, $", {x:F2}% unallocated at 100% arrived") : string.Empty;
            var what = string.Create(CultureInfo.InvariantCulture, $"{r.Policy} ({r.Mode.ToString().ToLowerInvariant()}) seed {r.Seed}{u}");
            if (_interactive)
            {
                var filled = value.Total == 0 ? Width : value.Completed * Width / value.Total;
                var line = string.Create(CultureInfo.InvariantCulture, $"\r[{new string('#', filled)}{new string('-', Width - filled)}] {value.Completed}/{value.Total} runs, {_clock.Elapsed.TotalSeconds:F0} s · {what}");
                _writer.Write(line.PadRight(120)[..Math.Min(120, Math.Max(line.Length, 120))]);
                _drawn = true;
            }
            else
            {
                _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {value.Completed}/{value.Total}: {what} ({r.Elapsed.TotalSeconds:F2} s)"));
            }

            _writer.Flush();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_drawn)
            {
                _writer.WriteLine();
                _drawn = false;
            }
        }
    }
}
