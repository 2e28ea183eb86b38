using System.Globalization;
using System.Text;

namespace Lepton.Operator.Entities;

/// <summary>
/// Go duration strings (<c>90s</c>, <c>1h30m</c>, <c>1.5h</c>), the format of LeptonJob's
/// duration fields: what Go's <c>time.ParseDuration</c> and CEL's <c>duration()</c> accept, and
/// what Go's <c>Duration.String()</c> writes.
/// </summary>
public static class GoDuration
{
    private const decimal MaxNanoseconds = long.MaxValue;

    /// <summary>Parses a Go duration string. Units: ns, us (or µs), ms, s, m, h; a sign and fractions are allowed; "0" is zero.</summary>
    /// <param name="text">The text, or null.</param>
    /// <param name="value">The duration, at TimeSpan's 100 ns resolution (truncated).</param>
    /// <returns>True when the text is a valid Go duration.</returns>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text) || text.Length > 256)
        {
            return false;
        }

        var rest = text.AsSpan();
        var negative = false;
        if (rest[0] is '+' or '-')
        {
            negative = rest[0] == '-';
            rest = rest[1..];
        }

        if (rest is "0")
        {
            return true;
        }

        if (rest.IsEmpty)
        {
            return false;
        }

        decimal nanoseconds = 0;
        while (!rest.IsEmpty)
        {
            var i = 0;
            while (i < rest.Length && char.IsAsciiDigit(rest[i]))
            {
                i++;
            }

            var integerDigits = i;
            var fractionDigits = 0;
            if (i < rest.Length && rest[i] == '.')
            {
                i++;
                while (i < rest.Length && char.IsAsciiDigit(rest[i]))
                {
                    i++;
                    fractionDigits++;
                }
            }

            if (integerDigits == 0 && fractionDigits == 0)
            {
                return false;
            }

            var unitEnd = i;
            while (unitEnd < rest.Length && !char.IsAsciiDigit(rest[unitEnd]) && rest[unitEnd] != '.')
            {
                unitEnd++;
            }

            var unit = rest[i..unitEnd].ToString() switch
            {
                "ns" => 1m,
                "us" or "\u00b5s" or "\u03bcs" => 1_000m,
                "ms" => 1_000_000m,
                "s" => 1_000_000_000m,
                "m" => 60_000_000_000m,
                "h" => 3_600_000_000_000m,
                _ => 0m,
            };
            if (unit == 0m)
            {
                return false;
            }

            try
            {
                var number = decimal.Parse(rest[..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
                nanoseconds += number * unit;
            }
            catch (OverflowException)
            {
                return false;
            }

            if (nanoseconds > MaxNanoseconds)
            {
                return false;
            }

            rest = rest[unitEnd..];
        }

        var ticks = (long)(nanoseconds / 100m);
        value = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }

    /// <summary>Formats a duration the way Go's <c>Duration.String()</c> does: <c>1h30m0s</c>, <c>2.5s</c>, <c>150ms</c>, <c>0s</c> (with <c>us</c> for microseconds).</summary>
    /// <param name="value">The duration.</param>
    /// <returns>The Go duration string.</returns>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new StringBuilder();
        if (value < TimeSpan.Zero)
        {
            text.Append('-');
            value = value == TimeSpan.MinValue ? TimeSpan.MaxValue : value.Negate();
        }

        var ticks = value.Ticks;
        if (ticks < TimeSpan.TicksPerSecond)
        {
            var nanoseconds = ticks * 100m;
            var (divisor, unit) = nanoseconds switch
            {
                < 1_000m => (1m, "ns"),
                < 1_000_000m => (1_000m, "us"),
                _ => (1_000_000m, "ms"),
            };
            return text.Append(Trim(nanoseconds / divisor)).Append(unit).ToString();
        }

        var hours = ticks / TimeSpan.TicksPerHour;
        var minutes = ticks % TimeSpan.TicksPerHour / TimeSpan.TicksPerMinute;
        var seconds = (decimal)(ticks % TimeSpan.TicksPerMinute) / TimeSpan.TicksPerSecond;
        if (hours > 0)
        {
            text.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (hours > 0 || minutes > 0)
        {
            text.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        return text.Append(Trim(seconds)).Append('s').ToString();
    }

    private static string Trim(decimal number)
    {
        var text = number.ToString("0.#########", CultureInfo.InvariantCulture);
        return text;
    }
}
