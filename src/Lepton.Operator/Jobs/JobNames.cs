using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Lepton.Operator.Jobs;

/// <summary>
/// Names derived from a job's name that must obey stricter rules than the job name itself (a DNS subdomain
/// of up to 253 characters): pod names, hostnames and label values (63), Service names (DNS-1035 labels).
/// A name that does not fit is shortened with a stable hash suffix, so the same job always maps to the same names.
/// </summary>
internal static partial class JobNames
{
    private const int MaxSubdomain = 253;
    private const int MaxLabel = 63;

    /// <summary>The pod of replica <paramref name="index"/>, attempt <paramref name="attempt"/>: <c>job-2</c>, then <c>job-2-r1</c>, ...</summary>
    public static string Pod(string job, int index, int attempt)
    {
        var suffix = attempt == 0
            ? string.Create(CultureInfo.InvariantCulture, $"-{index}")
            : string.Create(CultureInfo.InvariantCulture, $"-{index}-r{attempt}");
        return Fit(job, suffix, MaxSubdomain);
    }

    /// <summary>The stable hostname of replica <paramref name="index"/> (the same for every attempt): <c>job-2</c>.</summary>
    public static string Hostname(string job, int index) =>
        Fit(Label(job, allowLeadingDigit: true), string.Create(CultureInfo.InvariantCulture, $"-{index}"), MaxLabel);

    /// <summary>The headless Service (also the pods' subdomain): the job name when it is a DNS-1035 label, else a hashed form.</summary>
    public static string Service(string job) => Label(job, allowLeadingDigit: false);

    /// <summary>The value of the job and gang labels.</summary>
    public static string LabelValue(string job) => Label(job, allowLeadingDigit: true);

    private static string Label(string job, bool allowLeadingDigit)
    {
        var valid = job.Length <= MaxLabel && LabelPattern().IsMatch(job) && (allowLeadingDigit || char.IsAsciiLetterLower(job[0]));
        if (valid)
        {
            return job;
        }

        var cleaned = new string([.. job.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
        if (!allowLeadingDigit && (cleaned.Length == 0 || !char.IsAsciiLetter(cleaned[0])))
        {
            cleaned = "lj-" + cleaned;
        }

        return Fit(cleaned, "-" + Hash(job), MaxLabel);
    }

    private static string Fit(string stem, string suffix, int max)
    {
        if (stem.Length + suffix.Length <= max)
        {
            return stem + suffix;
        }

        var hash = "-" + Hash(stem);
        var keep = Math.Max(1, max - suffix.Length - hash.Length);
        return stem[..Math.Min(keep, stem.Length)].TrimEnd('-', '.') + hash + suffix;
    }

    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8];

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex LabelPattern();
}
