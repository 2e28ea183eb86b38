using System.Collections.Frozen;

namespace Lepton.Scheduling.Inventory;

/// <summary>
/// Connects GPU model names as users and traces write them (<c>V100M32</c>, <c>a100</c>) to the
/// product strings device plugins label nodes with (<c>Tesla-V100-SXM2-32GB</c>,
/// <c>NVIDIA-A100-SXM4-80GB</c>). Both sides normalise to one canonical name.
/// </summary>
/// <remarks>
/// Matching is exact after normalisation: an alias maps a name to its canonical form, and names
/// without an alias are compared case-insensitively as written. DECISIONS.md 12.
/// </remarks>
public sealed class GpuModelCatalog
{
    private readonly FrozenDictionary<string, string> _aliases;

    /// <summary>A catalog with no aliases: model names are compared as written, ignoring case.</summary>
    public static GpuModelCatalog Empty { get; } = new(new Dictionary<string, string>());

    /// <summary>Creates a catalog from an alias map (alias → canonical name).</summary>
    /// <param name="aliases">Aliases; keys and values are compared case-insensitively.</param>
    /// <exception cref="ArgumentException">An alias is empty, or two spellings of one alias map to different names.</exception>
    public GpuModelCatalog(IReadOnlyDictionary<string, string> aliases)
    {
        ArgumentNullException.ThrowIfNull(aliases);
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (alias, canonical) in aliases)
        {
            if (string.IsNullOrWhiteSpace(alias) || string.IsNullOrWhiteSpace(canonical))
            {
                throw new ArgumentException($"GPU model alias '{alias}' → '{canonical}': neither side may be empty.", nameof(aliases));
            }

            var value = canonical.Trim().ToUpperInvariant();
            if (map.TryGetValue(alias.Trim(), out var existing) && existing != value)
            {
                throw new ArgumentException($"GPU model alias '{alias}' maps to both '{existing}' and '{value}'.", nameof(aliases));
            }

            map[alias.Trim()] = value;
        }

        _aliases = map.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Returns the canonical name of a model (upper case), or null for null or blank input.</summary>
    /// <param name="model">A model name as written on a node label, a pod annotation or a trace.</param>
    /// <returns>The canonical name.</returns>
    public string? Normalize(string? model)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            return null;
        }

        var trimmed = model.Trim();
        return _aliases.TryGetValue(trimmed, out var canonical) ? canonical : trimmed.ToUpperInvariant();
    }

    /// <summary>Splits a <c>|</c>-separated model list and normalises each entry, dropping duplicates.</summary>
    /// <param name="models">The list, for example <c>V100M16|V100M32</c>.</param>
    /// <returns>The canonical names, in first-seen order; empty for a null or blank list.</returns>
    public string[] NormalizeList(string? models)
    {
        if (string.IsNullOrWhiteSpace(models))
        {
            return [];
        }

        var result = new List<string>();
        foreach (var part in models.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var n = Normalize(part);
            if (n is not null && !result.Contains(n))
            {
                result.Add(n);
            }
        }

        return [.. result];
    }
}
