namespace Lepton.Testing.KubeApiServer.Faults;

/// <summary>How fault rules match resources.</summary>
internal static class FaultMatching
{
    public static bool ResourceMatches(string? pattern, string resource, string subresource)
    {
        if (pattern is null)
        {
            return true;
        }

        var slash = pattern.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return pattern == resource && subresource.Length == 0;
        }

        var patternSubresource = pattern[(slash + 1)..];
        return pattern[..slash] == resource && (patternSubresource == "*" || patternSubresource == subresource);
    }
}
