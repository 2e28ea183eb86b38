namespace Lepton.Testing.KubeApiServer.Http;

/// <summary>The negotiated response representation: plain objects, a <c>meta.k8s.io</c> Table, or metadata only.</summary>
internal sealed record ResponseFormat(ResponseKind Kind, string ApiVersion)
{
    public static ResponseFormat Objects { get; } = new(ResponseKind.Object, "");

    /// <summary>Picks the first representation in <paramref name="accept"/> that the server can produce.</summary>
    public static ResponseFormat Negotiate(string? accept)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return Objects;
        }

        foreach (var clause in accept.Split(','))
        {
            var parts = clause.Split(';', StringSplitOptions.TrimEntries);
            var mediaType = parts[0].ToLowerInvariant();
            var parameters = parts.Skip(1)
                .Select(p => p.Split('=', 2, StringSplitOptions.TrimEntries))
                .Where(p => p.Length == 2)
                .GroupBy(p => p[0], StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First()[1], StringComparer.OrdinalIgnoreCase);
            if (mediaType is not ("application/json" or "*/*" or "application/*"))
            {
                continue;
            }

            if (!parameters.TryGetValue("as", out var representation))
            {
                return Objects;
            }

            var group = parameters.GetValueOrDefault("g");
            var version = parameters.GetValueOrDefault("v");
            if (group != "meta.k8s.io" || version is not ("v1" or "v1beta1"))
            {
                continue;
            }

            switch (representation)
            {
                case "Table":
                    return new ResponseFormat(ResponseKind.Table, "meta.k8s.io/" + version);
                case "PartialObjectMetadata" or "PartialObjectMetadataList":
                    return new ResponseFormat(ResponseKind.PartialObjectMetadata, "meta.k8s.io/" + version);
            }
        }

        return Objects;
    }
}
