using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Errors;
using Lepton.Testing.KubeApiServer.Json;
using Lepton.Testing.KubeApiServer.Validation;

namespace Lepton.Testing.KubeApiServer.Resources;

/// <summary>Validates an <c>apiextensions.k8s.io/v1 CustomResourceDefinition</c> and turns it into resource definitions.</summary>
internal static class CustomResourceDefinitionReader
{
    public static GroupResource GroupResourceOf(JsonObject crd)
    {
        var spec = JsonNodes.GetObject(crd, "spec");
        return new GroupResource(JsonNodes.GetString(spec, "group") ?? "", JsonNodes.GetString(JsonNodes.GetObject(spec, "names"), "plural") ?? "");
    }

    /// <summary>The structural checks of <c>ValidateCustomResourceDefinition</c> that catch broken manifests.</summary>
    public static IReadOnlyList<FieldError> Validate(JsonObject crd)
    {
        var errors = new List<FieldError>();
        var spec = JsonNodes.GetObject(crd, "spec");
        var group = JsonNodes.GetString(spec, "group");
        var names = JsonNodes.GetObject(spec, "names");
        var plural = JsonNodes.GetString(names, "plural");
        var kind = JsonNodes.GetString(names, "kind");
        if (string.IsNullOrEmpty(group))
        {
            errors.Add(FieldError.Required("spec.group", ""));
        }
        else if (!group.Contains('.', StringComparison.Ordinal))
        {
            errors.Add(FieldError.Invalid("spec.group", group, "should be a domain with at least one dot"));
        }

        if (string.IsNullOrEmpty(plural))
        {
            errors.Add(FieldError.Required("spec.names.plural", ""));
        }

        if (string.IsNullOrEmpty(kind))
        {
            errors.Add(FieldError.Required("spec.names.kind", ""));
        }

        var name = ObjectMeta.Name(crd);
        if (!string.IsNullOrEmpty(group) && !string.IsNullOrEmpty(plural) && name != plural + "." + group)
        {
            errors.Add(FieldError.Invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
        }

        var scope = JsonNodes.GetString(spec, "scope");
        if (scope is not ("Namespaced" or "Cluster"))
        {
            errors.Add(FieldError.NotSupported("spec.scope", scope, ["Cluster", "Namespaced"]));
        }

        var versions = JsonNodes.GetArray(spec, "versions")?.OfType<JsonObject>().ToList() ?? [];
        if (versions.Count == 0)
        {
            errors.Add(FieldError.Required("spec.versions", "must have exactly one version marked as storage version"));
        }
        else if (versions.Count(v => JsonNodes.GetBool(v, "storage") == true) != 1)
        {
            errors.Add(FieldError.Invalid("spec.versions", null, "must have exactly one version marked as storage version"));
        }

        for (var i = 0; i < versions.Count; i++)
        {
            if (string.IsNullOrEmpty(JsonNodes.GetString(versions[i], "name")))
            {
                errors.Add(FieldError.Required($"spec.versions[{i}].name", ""));
            }

            // Rules that do not compile and patterns that do not parse reject the CRD, as upstream.
            CustomResourceSchema.Read(versions[i], i, errors);
        }

        return errors;
    }

    /// <summary>One definition per served version.</summary>
    public static IReadOnlyList<ResourceDefinition> ReadServedVersions(JsonObject crd)
    {
        var spec = JsonNodes.GetObject(crd, "spec")!;
        var names = JsonNodes.GetObject(spec, "names")!;
        var kind = JsonNodes.GetString(names, "kind")!;
        var definitions = new List<ResourceDefinition>();
        var versions = JsonNodes.GetArray(spec, "versions")!.OfType<JsonObject>().ToList();
        for (var index = 0; index < versions.Count; index++)
        {
            var version = versions[index];
            if (JsonNodes.GetBool(version, "served") != true)
            {
                continue;
            }

            var subresources = new List<SubresourceDefinition>();
            var subresourceSpec = JsonNodes.GetObject(version, "subresources");
            if (subresourceSpec?["status"] is JsonObject)
            {
                subresources.Add(new SubresourceDefinition(SubresourceDefinition.Status, kind, ["get", "patch", "update"]));
            }

            definitions.Add(new ResourceDefinition
            {
                Group = JsonNodes.GetString(spec, "group")!,
                Version = JsonNodes.GetString(version, "name")!,
                Plural = JsonNodes.GetString(names, "plural")!,
                Singular = JsonNodes.GetString(names, "singular") ?? kind.ToLowerInvariant(),
                Kind = kind,
                Namespaced = JsonNodes.GetString(spec, "scope") == "Namespaced",
                ShortNames = JsonNodes.StringList(JsonNodes.GetArray(names, "shortNames")),
                Categories = JsonNodes.StringList(JsonNodes.GetArray(names, "categories")),
                Subresources = subresources,
                SelectableFields = (JsonNodes.GetArray(version, "selectableFields")?.OfType<JsonObject>() ?? [])
                    .Select(f => (JsonNodes.GetString(f, "jsonPath") ?? "").TrimStart('.'))
                    .Where(f => f.Length > 0)
                    .ToArray(),
                PrinterColumns = ReadPrinterColumns(version),
                IsCustomResource = true,
                ReturnDeletedObject = true,
                AllowUnconditionalUpdate = false,
                ClearStatusOnCreate = subresources.Count > 0,
                Schema = CustomResourceSchema.Read(version, index, []),
            });
        }

        return definitions;
    }

    private static List<PrinterColumn> ReadPrinterColumns(JsonObject version)
    {
        var columns = new List<PrinterColumn>();
        foreach (var column in JsonNodes.GetArray(version, "additionalPrinterColumns")?.OfType<JsonObject>() ?? [])
        {
            columns.Add(new PrinterColumn(
                JsonNodes.GetString(column, "name") ?? "",
                JsonNodes.GetString(column, "type") ?? "string",
                JsonNodes.GetString(column, "jsonPath") ?? "",
                JsonNodes.GetString(column, "format") ?? "",
                JsonNodes.GetString(column, "description") ?? "",
                (int)(JsonNodes.GetInt64(column, "priority") ?? 0)));
        }

        if (columns.Count == 0)
        {
            // The API server's default for a CRD version without printer columns.
            columns.Add(new PrinterColumn("Age", "date", ".metadata.creationTimestamp"));
        }

        return columns;
    }
}
