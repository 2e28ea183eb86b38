using System.Globalization;
using System.Text;

namespace Lepton.Operator.Prediction;

/// <summary>
/// The short Go duration text of a predicted run time (<c>1h23m</c>, <c>45m</c>, <c>2h</c>, <c>1m30s</c>, <c>12s</c>):
/// whole seconds below ten minutes, whole minutes from ten minutes on (a prediction is no more exact than that), and
/// no zero units. Go's <c>time.ParseDuration</c>, CEL's <c>duration()</c> and the CRD's <c>format: duration</c> accept it.
/// </summary>
public static class DurationText
{
    /// <summary>Formats <paramref name="seconds"/>.</summary>
    /// <param name="seconds">A finite, positive duration in seconds.</param>
    /// <returns>The text; at least <c>1s</c>.</returns>
    public static string Format(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "a duration must be finite and positive");
        }

        var whole = (long)Math.Min(Math.Round(seconds, MidpointRounding.AwayFromZero), TimeSpan.MaxValue.TotalSeconds / 2);
        if (whole >= 600)
        {
            whole = (long)(Math.Round(whole / 60.0, MidpointRounding.AwayFromZero) * 60);
        }

        whole = Math.Max(whole, 1);
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        var (hours, minutes, rest) = (whole / 3600, whole % 3600 / 60, whole % 60);
        if (hours > 0)
        {
            text.Append(hours.ToString(c)).Append('h');
        }

        if (minutes > 0)
        {
            text.Append(minutes.ToString(c)).Append('m');
        }

        if (rest > 0)
        {
            text.Append(rest.ToString(c)).Append('s');
        }

        return text.ToString();
    }
}
