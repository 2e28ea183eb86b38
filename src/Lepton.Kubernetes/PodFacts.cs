using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using k8s.Models;
using Lepton.Scheduling.Inventory;

namespace Lepton.Kubernetes;

/// <summary>
/// The parts of a core/v1 Pod that <see cref="KubeObjectMapper.ToDemand(PodFacts)"/> reads, with
/// quantities as their text: identity, labels and annotations, each container's and init
/// container's resources and restart policy, overhead, priority, <c>spec.nodeName</c>, the node
/// selector, required node affinity and tolerations, and <c>status.qosClass</c>. Two sources fill it, so that the
/// mapping itself exists once: a <see cref="V1Pod"/> (informers, state files) and the Pod JSON
/// kube-scheduler embeds in an extender request, read in place without building a
/// <see cref="V1Pod"/> (which cost most of a new pod's filter time: every field of the pod,
/// every quantity parsed twice).
/// </summary>
public sealed class PodFacts
{
    private static readonly IReadOnlyDictionary<string, string> NoStrings = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary><c>metadata.namespace</c>.</summary>
    public string? Namespace { get; init; }

    /// <summary><c>metadata.name</c>.</summary>
    public string? Name { get; init; }

    /// <summary><c>metadata.generateName</c>.</summary>
    public string? GenerateName { get; init; }

    /// <summary><c>metadata.uid</c>.</summary>
    public string? Uid { get; init; }

    /// <summary><c>metadata.creationTimestamp</c>.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary><c>metadata.annotations</c> (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = NoStrings;

    /// <summary><c>metadata.labels</c> (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = NoStrings;

    /// <summary><c>spec.containers</c>.</summary>
    public IReadOnlyList<ContainerFacts> Containers { get; init; } = [];

    /// <summary><c>spec.initContainers</c>.</summary>
    public IReadOnlyList<ContainerFacts> InitContainers { get; init; } = [];

    /// <summary><c>spec.overhead</c> (resource → quantity text), or null.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>>? Overhead { get; init; }

    /// <summary><c>spec.priority</c> (0 when absent).</summary>
    public int Priority { get; init; }

    /// <summary><c>status.qosClass</c>, or null.</summary>
    public string? QosClass { get; init; }

    /// <summary><c>spec.nodeSelector</c> (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> NodeSelector { get; init; } = NoStrings;

    /// <summary>
    /// <c>spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms</c>:
    /// each term's match expressions and match fields; null when absent.
    /// </summary>
    public IReadOnlyList<NodeSelectorTerm>? RequiredNodeTerms { get; init; }

    /// <summary><c>spec.nodeName</c>, or null.</summary>
    public string? NodeName { get; init; }

    /// <summary><c>spec.tolerations</c> (empty when absent).</summary>
    public IReadOnlyList<PodToleration> Tolerations { get; init; } = [];

    /// <summary>What a <see cref="V1Pod"/> says (quantities as <see cref="ResourceQuantity.ToString"/> gives them).</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>The facts.</returns>
    public static PodFacts From(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var meta = pod.Metadata ?? new V1ObjectMeta();
        var spec = pod.Spec;
        return new PodFacts
        {
            Namespace = meta.NamespaceProperty,
            Name = meta.Name,
            GenerateName = meta.GenerateName,
            Uid = meta.Uid,
            CreatedAt = meta.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : null,
            Annotations = ReadOnly(meta.Annotations),
            Labels = ReadOnly(meta.Labels),
            Containers = spec?.Containers?.Select(c => new ContainerFacts(c.Name, Texts(c.Resources?.Requests), Texts(c.Resources?.Limits), c.RestartPolicy)).ToList() ?? [],
            InitContainers = spec?.InitContainers?.Select(c => new ContainerFacts(c.Name, Texts(c.Resources?.Requests), Texts(c.Resources?.Limits), c.RestartPolicy)).ToList() ?? [],
            Overhead = Texts(spec?.Overhead),
            Priority = spec?.Priority ?? 0,
            QosClass = pod.Status?.QosClass,
            NodeSelector = ReadOnly(spec?.NodeSelector),
            RequiredNodeTerms = spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms?
                .Select(t => new NodeSelectorTerm(Requirements(t.MatchExpressions), Requirements(t.MatchFields)))
                .ToList(),
            NodeName = string.IsNullOrEmpty(spec?.NodeName) ? null : spec.NodeName,
            Tolerations = spec?.Tolerations?.Select(t => new PodToleration(t.Key ?? string.Empty, t.OperatorProperty ?? string.Empty, t.Value ?? string.Empty, t.Effect ?? string.Empty)).ToList() ?? [],
        };

        static ImmutableArray<NodeSelectorRequirement> Requirements(IList<V1NodeSelectorRequirement>? list) =>
            list is null ? [] : [.. list.Select(e => new NodeSelectorRequirement(e.Key ?? string.Empty, e.OperatorProperty ?? string.Empty, e.Values is null ? [] : [.. e.Values]))];
    }

    /// <summary>
    /// What Pod JSON says, read in place. Only the fields above are read, and each is checked for
    /// its JSON type (an object, a string, an array…); the rest of the pod is not looked at.
    /// </summary>
    /// <param name="pod">The Pod JSON object.</param>
    /// <returns>The facts.</returns>
    /// <exception cref="JsonException">A field Lepton reads has the wrong JSON type, or a timestamp does not parse.</exception>
    public static PodFacts From(JsonElement pod)
    {
        if (pod.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"a Pod must be a JSON object, not {pod.ValueKind}");
        }

        var meta = Child(pod, "metadata"u8, JsonValueKind.Object, "metadata");
        var spec = Child(pod, "spec"u8, JsonValueKind.Object, "spec");
        var status = Child(pod, "status"u8, JsonValueKind.Object, "status");
        var affinity = spec is { } sp ? Child(sp, "affinity"u8, JsonValueKind.Object, "spec.affinity") : null;
        var nodeAffinity = affinity is { } af ? Child(af, "nodeAffinity"u8, JsonValueKind.Object, "spec.affinity.nodeAffinity") : null;
        var required = nodeAffinity is { } na ? Child(na, "requiredDuringSchedulingIgnoredDuringExecution"u8, JsonValueKind.Object, "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution") : null;
        var terms = required is { } rq ? Child(rq, "nodeSelectorTerms"u8, JsonValueKind.Array, "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms") : null;
        return new PodFacts
        {
            Namespace = Text(meta, "namespace"u8, "metadata.namespace"),
            Name = Text(meta, "name"u8, "metadata.name"),
            GenerateName = Text(meta, "generateName"u8, "metadata.generateName"),
            Uid = Text(meta, "uid"u8, "metadata.uid"),
            CreatedAt = Timestamp(meta),
            Annotations = StringMap(meta, "annotations"u8, "metadata.annotations"),
            Labels = StringMap(meta, "labels"u8, "metadata.labels"),
            Containers = ReadContainers(spec, "containers"u8, "spec.containers"),
            InitContainers = ReadContainers(spec, "initContainers"u8, "spec.initContainers"),
            Overhead = Quantities(spec is { } o ? Child(o, "overhead"u8, JsonValueKind.Object, "spec.overhead") : null, "spec.overhead"),
            Priority = spec is { } p && Child(p, "priority"u8, JsonValueKind.Number, "spec.priority") is { } priority
                ? (priority.TryGetInt32(out var v) ? v : throw new JsonException("spec.priority must be a 32-bit integer"))
                : 0,
            QosClass = Text(status, "qosClass"u8, "status.qosClass"),
            NodeSelector = StringMap(spec, "nodeSelector"u8, "spec.nodeSelector"),
            RequiredNodeTerms = terms is { } t ? Terms(t) : null,
            NodeName = Text(spec, "nodeName"u8, "spec.nodeName") is { Length: > 0 } nodeName ? nodeName : null,
            Tolerations = spec is { } tp && Child(tp, "tolerations"u8, JsonValueKind.Array, "spec.tolerations") is { } tolerations ? ReadTolerations(tolerations) : [],
        };
    }

    // KubernetesClient's maps are Dictionary instances behind IDictionary: used as they are.
    private static IReadOnlyDictionary<string, string> ReadOnly(IDictionary<string, string>? map) => map switch
    {
        null => NoStrings,
        IReadOnlyDictionary<string, string> ready => ready,
        _ => new Dictionary<string, string>(map, StringComparer.Ordinal),
    };

    private static List<KeyValuePair<string, string?>>? Texts(IDictionary<string, ResourceQuantity>? quantities) =>
        quantities?.Select(q => new KeyValuePair<string, string?>(q.Key, q.Value?.ToString())).ToList();

    // The property, when present and not null; of the given kind, or a JsonException naming it.
    private static JsonElement? Child(JsonElement parent, ReadOnlySpan<byte> name, JsonValueKind kind, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == kind ? value : throw new JsonException($"{path} must be {Describe(kind)}, not {value.ValueKind}");
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => kind.ToString(),
    };

    private static string? Text(JsonElement? parent, ReadOnlySpan<byte> name, string path) =>
        parent is { } p && Child(p, name, JsonValueKind.String, path) is { } value ? value.GetString() : null;

    private static DateTimeOffset? Timestamp(JsonElement? meta)
    {
        if (Text(meta, "creationTimestamp"u8, "metadata.creationTimestamp") is not { } text)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : throw new JsonException($"metadata.creationTimestamp is not a timestamp: '{text}'");
    }

    private static IReadOnlyDictionary<string, string> StringMap(JsonElement? parent, ReadOnlySpan<byte> name, string path)
    {
        if (parent is not { } p || Child(p, name, JsonValueKind.Object, path) is not { } map)
        {
            return NoStrings;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in map.EnumerateObject())
        {
            result[entry.Name] = entry.Value.ValueKind switch
            {
                JsonValueKind.String => entry.Value.GetString()!,
                JsonValueKind.Null => string.Empty,
                _ => throw new JsonException($"{path}.{entry.Name} must be a string, not {entry.Value.ValueKind}"),
            };
        }

        return result;
    }

    private static List<KeyValuePair<string, string?>>? Quantities(JsonElement? map, string path)
    {
        if (map is not { } m)
        {
            return null;
        }

        var result = new List<KeyValuePair<string, string?>>();
        foreach (var entry in m.EnumerateObject())
        {
            // Quantities are strings on the wire; a bare number is what a hand-written pod may hold.
            var text = entry.Value.ValueKind switch
            {
                JsonValueKind.String => entry.Value.GetString(),
                JsonValueKind.Number => entry.Value.GetRawText(),
                JsonValueKind.Null => null,
                _ => throw new JsonException($"{path}.{entry.Name} must be a quantity string, not {entry.Value.ValueKind}"),
            };
            result.Add(new KeyValuePair<string, string?>(entry.Name, text));
        }

        return result;
    }

    private static List<ContainerFacts> ReadContainers(JsonElement? spec, ReadOnlySpan<byte> name, string path)
    {
        if (spec is not { } s || Child(s, name, JsonValueKind.Array, path) is not { } list)
        {
            return [];
        }

        var result = new List<ContainerFacts>(list.GetArrayLength());
        var i = 0;
        foreach (var c in list.EnumerateArray())
        {
            // Paths inside a container are relative; the container's own is put in front only
            // when something is wrong, so a good pod builds no path strings.
            try
            {
                result.Add(ReadContainer(c));
            }
            catch (JsonException e)
            {
                throw new JsonException($"{path}[{i}]{e.Message}", e);
            }

            i++;
        }

        return result;
    }

    private static ContainerFacts ReadContainer(JsonElement c)
    {
        if (c.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($" must be an object, not {c.ValueKind}");
        }

        var resources = Child(c, "resources"u8, JsonValueKind.Object, ".resources");
        return new ContainerFacts(
            Text(c, "name"u8, ".name"),
            Quantities(resources is { } r1 ? Child(r1, "requests"u8, JsonValueKind.Object, ".resources.requests") : null, ".resources.requests"),
            Quantities(resources is { } r2 ? Child(r2, "limits"u8, JsonValueKind.Object, ".resources.limits") : null, ".resources.limits"),
            Text(c, "restartPolicy"u8, ".restartPolicy"));
    }

    private static List<NodeSelectorTerm> Terms(JsonElement terms)
    {
        const string path = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms";
        var result = new List<NodeSelectorTerm>(terms.GetArrayLength());
        var i = 0;
        foreach (var term in terms.EnumerateArray())
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]");
            if (term.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException($"{at} must be an object, not {term.ValueKind}");
            }

            result.Add(new NodeSelectorTerm(Requirements(term, "matchExpressions"u8, at + ".matchExpressions"), Requirements(term, "matchFields"u8, at + ".matchFields")));
            i++;
        }

        return result;
    }

    private static ImmutableArray<NodeSelectorRequirement> Requirements(JsonElement term, ReadOnlySpan<byte> name, string path)
    {
        if (Child(term, name, JsonValueKind.Array, path) is not { } list)
        {
            return [];
        }

        var result = ImmutableArray.CreateBuilder<NodeSelectorRequirement>(list.GetArrayLength());
        var i = 0;
        foreach (var e in list.EnumerateArray())
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]");
            if (e.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException($"{at} must be an object, not {e.ValueKind}");
            }

            var values = ImmutableArray<string>.Empty;
            if (Child(e, "values"u8, JsonValueKind.Array, at + ".values") is { } vs)
            {
                var builder = ImmutableArray.CreateBuilder<string>(vs.GetArrayLength());
                foreach (var v in vs.EnumerateArray())
                {
                    builder.Add(v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new JsonException($"{at}.values must hold strings, not {v.ValueKind}"));
                }

                values = builder.MoveToImmutable();
            }

            result.Add(new NodeSelectorRequirement(Text(e, "key"u8, at + ".key") ?? string.Empty, Text(e, "operator"u8, at + ".operator") ?? string.Empty, values));
            i++;
        }

        return result.MoveToImmutable();
    }

    private static List<PodToleration> ReadTolerations(JsonElement list)
    {
        var result = new List<PodToleration>(list.GetArrayLength());
        var i = 0;
        foreach (var t in list.EnumerateArray())
        {
            // As with containers, the path is built only when something is wrong.
            try
            {
                if (t.ValueKind != JsonValueKind.Object)
                {
                    throw new JsonException($" must be an object, not {t.ValueKind}");
                }

                result.Add(new PodToleration(
                    Text(t, "key"u8, ".key") ?? string.Empty,
                    Text(t, "operator"u8, ".operator") ?? string.Empty,
                    Text(t, "value"u8, ".value") ?? string.Empty,
                    Text(t, "effect"u8, ".effect") ?? string.Empty));
            }
            catch (JsonException e)
            {
                throw new JsonException(string.Create(CultureInfo.InvariantCulture, $"spec.tolerations[{i}]{e.Message}"), e);
            }

            i++;
        }

        return result;
    }
}

/// <summary>A container's name, requests and limits (resource → quantity text) and restart policy.</summary>
/// <param name="Name">The container name.</param>
/// <param name="Requests"><c>resources.requests</c>, or null.</param>
/// <param name="Limits"><c>resources.limits</c>, or null.</param>
/// <param name="RestartPolicy"><c>restartPolicy</c> (init containers: <c>Always</c> makes a sidecar).</param>
public sealed record ContainerFacts(string? Name, IReadOnlyList<KeyValuePair<string, string?>>? Requests, IReadOnlyList<KeyValuePair<string, string?>>? Limits, string? RestartPolicy);
