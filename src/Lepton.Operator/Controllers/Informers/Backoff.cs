namespace Lepton.Operator.Controllers.Informers;

/// <summary>Exponential backoff with jitter for reconnects, reset after a healthy stretch.</summary>
internal sealed class Backoff(TimeSpan initial, TimeSpan max, double jitter, Func<double> random)
{
    private int _failures;

    public TimeSpan Next()
    {
        var exponent = Math.Min(_failures, 30);
        _failures++;
        var baseTicks = Math.Min(max.Ticks, initial.Ticks * Math.Pow(2, exponent));
        var ticks = Math.Min(max.Ticks, baseTicks * (1 + (jitter * random())));
        return TimeSpan.FromTicks((long)ticks);
    }

    public void Reset() => _failures = 0;
}
