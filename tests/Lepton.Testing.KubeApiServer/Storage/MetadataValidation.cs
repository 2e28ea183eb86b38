using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lepton.Testing.KubeApiServer.Errors;
using Lepton.Testing.KubeApiServer.Json;

namespace Lepton.Testing.KubeApiServer.Storage;

/// <summary>The object-metadata checks of <c>ValidateObjectMeta</c> that catch real client bugs.</summary>
internal static partial class MetadataValidation
{
    public static IEnumerable<FieldError> ValidateName(string name, bool dnsLabel)
    {
        if (dnsLabel)
        {
            if (name.Length > 63 || !DnsLabel().IsMatch(name))
            {
                yield return FieldError.Invalid("metadata.name", name,
                    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character");
            }
        }
        else if (name.Length > 253 || !DnsSubdomain().IsMatch(name))
        {
            yield return FieldError.Invalid("metadata.name", name,
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
        }
    }

    public static IEnumerable<FieldError> ValidateLabels(JsonObject obj)
    {
        if (ObjectMeta.Labels(obj) is not { } labels)
        {
            yield break;
        }

        foreach (var (key, value) in labels)
        {
            if (!IsQualifiedName(key))
            {
                yield return FieldError.Invalid("metadata.labels", key, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
            }

            var text = JsonNodes.ScalarText(value) ?? "";
            if (value is not JsonValue || text.Length > 63 || !LabelValue().IsMatch(text))
            {
                yield return FieldError.Invalid($"metadata.labels", value?.DeepClone(),
                    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
            }
        }
    }

    public static bool IsQualifiedName(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var prefix = slash < 0 ? null : key[..slash];
        var name = slash < 0 ? key : key[(slash + 1)..];
        return (prefix is null || (prefix.Length <= 253 && DnsSubdomain().IsMatch(prefix)))
            && name.Length is > 0 and <= 63
            && QualifiedNamePart().IsMatch(name);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex QualifiedNamePart();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelValue();
}
