using System.Globalization;

namespace Lepton.Scheduling.Resources;

/// <summary>
/// Parses Kubernetes resource quantities (<c>500m</c>, <c>2</c>, <c>16Gi</c>, <c>1e3</c>) the way
/// the API server does: decimal SI and binary suffixes, optional exponent, rounding up.
/// </summary>
public static class Quantity
{
    /// <summary>Parses a quantity into its exact decimal value.</summary>
    /// <param name="text">The quantity string.</param>
    /// <param name="value">The value in base units (cores, bytes, devices).</param>
    /// <returns>False when the text is not a valid quantity.</returns>
    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 64)
        {
            return false;
        }

        var s = text.AsSpan().Trim();
        var end = s.Length;
        decimal multiplier = 1;
        if (end >= 2 && s[end - 1] == 'i')
        {
            int? shift = s[end - 2] switch
            {
                'K' => 10,
                'M' => 20,
                'G' => 30,
                'T' => 40,
                'P' => 50,
                'E' => 60,
                _ => null,
            };
            if (shift is null)
            {
                return false;
            }

            multiplier = 1L << shift.Value;
            end -= 2;
        }
        else if (end >= 1 && char.IsLetter(s[end - 1]))
        {
            decimal? m = s[end - 1] switch
            {
                'n' => 0.000000001m,
                'u' => 0.000001m,
                'm' => 0.001m,
                'k' => 1_000m,
                'M' => 1_000_000m,
                'G' => 1_000_000_000m,
                'T' => 1_000_000_000_000m,
                'P' => 1_000_000_000_000_000m,
                'E' => 1_000_000_000_000_000_000m,
                _ => null,
            };
            if (m is null)
            {
                return false;
            }

            multiplier = m.Value;
            end -= 1;
        }

        var number = s[..end];
        if (number.IsEmpty || number[0] is ' ' || number[^1] is ' ')
        {
            return false;
        }

        const NumberStyles Styles = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        if (!decimal.TryParse(number, Styles, CultureInfo.InvariantCulture, out var mantissa))
        {
            return false;
        }

        try
        {
            value = mantissa * multiplier;
        }
        catch (OverflowException)
        {
            return false;
        }

        return true;
    }

    /// <summary>Parses a quantity and returns it in milli-units, rounded up (CPU: milli-cores).</summary>
    /// <param name="text">The quantity string.</param>
    /// <param name="milli">The value times 1000, rounded up.</param>
    /// <returns>False when the text is not a valid non-negative quantity within range.</returns>
    public static bool TryParseMilli(string? text, out long milli)
    {
        milli = 0;
        if (!TryParse(text, out var v) || v < 0 || v > long.MaxValue / 1000m)
        {
            return false;
        }

        milli = (long)decimal.Ceiling(v * 1000m);
        return true;
    }

    /// <summary>Parses a quantity into whole base units, rounded up (memory: bytes; devices: count).</summary>
    /// <param name="text">The quantity string.</param>
    /// <param name="units">The value rounded up to an integer.</param>
    /// <returns>False when the text is not a valid non-negative quantity within range.</returns>
    public static bool TryParseUnits(string? text, out long units)
    {
        units = 0;
        if (!TryParse(text, out var v) || v < 0 || v > long.MaxValue)
        {
            return false;
        }

        units = (long)decimal.Ceiling(v);
        return true;
    }
}
