using System.Globalization;
using System.Text.RegularExpressions;

namespace Lepton.Testing.KubeApiServer.Resources;

/// <summary>Orders API versions by Kubernetes priority: GA, then beta, then alpha, newest first.</summary>
internal sealed partial class KubeVersionComparer : IComparer<string>
{
    public static readonly KubeVersionComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        var (kx, mx, nx) = Parse(x ?? "");
        var (ky, my, ny) = Parse(y ?? "");
        if (kx != ky)
        {
            return kx.CompareTo(ky);
        }

        if (kx == 3)
        {
            return string.CompareOrdinal(x, y);
        }

        return mx != my ? my.CompareTo(mx) : ny.CompareTo(nx);
    }

    /// <summary>Returns (rank: 0 GA, 1 beta, 2 alpha, 3 other; major; minor).</summary>
    private static (int Rank, int Major, int Minor) Parse(string version)
    {
        var match = VersionPattern().Match(version);
        if (!match.Success)
        {
            return (3, 0, 0);
        }

        var major = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var minor = match.Groups[3].Success ? int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture) : 0;
        var rank = match.Groups[2].Value switch
        {
            "" => 0,
            "beta" => 1,
            _ => 2,
        };
        return (rank, major, minor);
    }

    [GeneratedRegex("^v([0-9]+)(?:(alpha|beta)([0-9]+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
