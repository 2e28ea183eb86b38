using System.Globalization;
using System.Reflection;
using k8s.Models;

namespace Lepton.Operator.Controllers.Informers;

/// <summary>Where a resource lives on the API server: group, version, plural, and optionally one namespace.</summary>
/// <param name="Group">The API group; empty for the core group.</param>
/// <param name="Version">The API version, e.g. <c>v1</c>.</param>
/// <param name="Plural">The plural resource name, e.g. <c>pods</c>.</param>
/// <param name="Kind">The kind, set on list items (the server omits it there).</param>
/// <param name="Namespace">Restricts the endpoint to one namespace; null for all namespaces (or a cluster-scoped resource).</param>
public sealed record ResourceEndpoint(string Group, string Version, string Plural, string Kind, string? Namespace = null)
{
    /// <summary>Gets the <c>apiVersion</c> of the resource (<c>v1</c> or <c>group/version</c>).</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Gets the resource name used in logs and metric labels (<c>pods</c>, <c>leptonjobs.lepton.ai</c>).</summary>
    public string Resource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>Gets the collection path, e.g. <c>/api/v1/pods</c> or <c>/apis/lepton.ai/v1alpha1/namespaces/a/leptonjobs</c>.</summary>
    public string CollectionPath
        => (Group.Length == 0 ? "/api/" + Version : $"/apis/{Group}/{Version}")
            + (Namespace is null ? string.Empty : "/namespaces/" + Uri.EscapeDataString(Namespace))
            + "/" + Plural;

    /// <summary>Reads the endpoint of <typeparamref name="T"/> from its <see cref="KubernetesEntityAttribute"/>.</summary>
    /// <typeparam name="T">A Kubernetes model type (built-in or a CRD entity).</typeparam>
    /// <param name="namespace">Restricts the endpoint to one namespace; null for all.</param>
    /// <returns>The endpoint.</returns>
    public static ResourceEndpoint For<T>(string? @namespace = null)
    {
        var entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{typeof(T).Name} has no [KubernetesEntity] attribute."));
        return new ResourceEndpoint(entity.Group ?? string.Empty, entity.ApiVersion, entity.PluralName, entity.Kind, @namespace);
    }
}
