using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using k8s.Models;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Resources;

namespace Lepton.Kubernetes;

/// <summary>
/// Maps core/v1 Nodes and Pods onto the scheduling core's <see cref="NodeInventory"/> and
/// <see cref="PodDemand"/>: allocatable and device-plugin resources, GPU Feature Discovery and
/// AMD labeller labels, effective pod requests, fractional shares and model constraints.
/// </summary>
public sealed class KubeObjectMapper
{
    private static readonly string[] GpuResourcePreference =
        [ResourceNames.NvidiaGpu, ResourceNames.NvidiaGpuShared, ResourceNames.AmdGpu, ResourceNames.IntelGpuI915, ResourceNames.IntelGpuXe];

    private readonly GpuModelCatalog _catalog;

    /// <summary>Creates a mapper.</summary>
    /// <param name="catalog">GPU model aliases; <see cref="GpuModelCatalog.Empty"/> when null.</param>
    public KubeObjectMapper(GpuModelCatalog? catalog = null) => _catalog = catalog ?? GpuModelCatalog.Empty;

    /// <summary>The model catalog in use.</summary>
    public GpuModelCatalog Catalog => _catalog;

    /// <summary>Maps a node to its inventory.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The inventory.</returns>
    /// <exception cref="KubeObjectException">The node has no name or a malformed quantity.</exception>
    public NodeInventory ToInventory(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var name = node.Metadata?.Name;
        if (string.IsNullOrEmpty(name))
        {
            throw new KubeObjectException("Node without metadata.name.");
        }

        var resources = node.Status?.Allocatable is { Count: > 0 } alloc ? alloc : node.Status?.Capacity ?? new Dictionary<string, ResourceQuantity>();
        var labels = node.Metadata?.Labels ?? new Dictionary<string, string>();
        long cpu = 0, memory = 0, pods = 110;
        var extended = ImmutableArray.CreateBuilder<ResourceAmount>();
        foreach (var (resource, quantity) in resources.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var text = quantity?.ToString();
            switch (resource)
            {
                case ResourceNames.Cpu:
                    cpu = ParseMilli(text, $"node {name}", $"status.allocatable[{resource}]");
                    break;
                case ResourceNames.Memory:
                    memory = ParseUnits(text, $"node {name}", $"status.allocatable[{resource}]");
                    break;
                case ResourceNames.Pods:
                    pods = ParseUnits(text, $"node {name}", $"status.allocatable[{resource}]");
                    break;
                default:
                    if (ResourceNames.IsExtended(resource))
                    {
                        var units = ParseUnits(text, $"node {name}", $"status.allocatable[{resource}]");
                        if (units > 0)
                        {
                            extended.Add(new ResourceAmount(resource, units));
                        }
                    }

                    break;
            }
        }

        var ext = extended.ToImmutable();
        string? gpuResource = null;
        long devices = 0;
        foreach (var candidate in GpuResourcePreference)
        {
            var found = ext.FirstOrDefault(r => r.Name == candidate);
            if (found.Quantity > 0)
            {
                gpuResource = candidate;
                devices = found.Quantity;
                break;
            }
        }

        var cards = 0;
        if (gpuResource is not null)
        {
            cards = (int)Math.Min(devices, 1024);
            if (LabelInt(labels, ResourceNames.NvidiaGpuCountLabel) is int count and > 0 && gpuResource.StartsWith("nvidia.com/", StringComparison.Ordinal))
            {
                cards = count;
            }
            else if (LabelInt(labels, ResourceNames.NvidiaGpuReplicasLabel) is int replicas and > 1)
            {
                cards = (int)Math.Max(1, devices / replicas);
            }
        }

        var model = gpuResource is null ? null
            : labels.TryGetValue(ResourceNames.NvidiaGpuProductLabel, out var product) ? WithoutSharedSuffix(product)
            : labels.TryGetValue(ResourceNames.AmdGpuProductLabel, out var amd) ? amd
            : null;
        var (sharing, evidence) = gpuResource is null ? (GpuSharing.Unknown, null) : SharingOf(gpuResource, labels);
        var memoryMiB = LabelInt(labels, ResourceNames.NvidiaGpuMemoryLabel)
            ?? (labels.TryGetValue(ResourceNames.AmdGpuVramLabel, out var vram) && Quantity.TryParseUnits(vram.EndsWith('G') ? vram + "i" : vram, out var b) ? (int)(b / (1024 * 1024)) : 0);

        return new NodeInventory
        {
            Name = name,
            CpuMilli = cpu,
            MemoryBytes = memory,
            MaxPods = (int)Math.Min(pods, int.MaxValue),
            GpuResource = gpuResource,
            GpuCards = cards,
            GpuModel = _catalog.Normalize(model),
            GpuMemoryMiB = memoryMiB,
            Extended = ext,
            Unschedulable = node.Spec?.Unschedulable == true,
            Labels = labels.Count == 0 ? FrozenDictionary<string, string>.Empty : labels.ToFrozenDictionary(StringComparer.Ordinal),
            Taints = node.Spec?.Taints is { Count: > 0 } taints
                ? [.. taints.Select(t => new NodeTaint(t.Key ?? string.Empty, t.Value ?? string.Empty, t.Effect ?? string.Empty))]
                : [],
            GpuSharing = sharing,
            GpuSharingEvidence = evidence,
        };
    }

    /// <summary>
    /// GPU Feature Discovery appends <c>-SHARED</c> to <c>nvidia.com/gpu.product</c> on a node whose
    /// GPUs are time-sliced or under MPS; the model is the product without it.
    /// </summary>
    /// <param name="product">The label value.</param>
    /// <returns>The product without the suffix.</returns>
    public static string WithoutSharedSuffix(string product)
    {
        ArgumentNullException.ThrowIfNull(product);
        return product.EndsWith(ResourceNames.SharedProductSuffix, StringComparison.OrdinalIgnoreCase) && product.Length > ResourceNames.SharedProductSuffix.Length
            ? product[..^ResourceNames.SharedProductSuffix.Length]
            : product;
    }

    /// <summary>
    /// Whether a GPU node's GPUs are shared, from the labels GPU Feature Discovery writes (the
    /// first that says wins): <c>nvidia.com/gpu.sharing-strategy</c> (<c>time-slicing</c>/<c>mps</c>
    /// shared, <c>none</c> not), <c>nvidia.com/mps.capable=true</c> (shared),
    /// <c>nvidia.com/gpu.replicas</c> (above 1 shared, 1 not), or the renamed shared resource
    /// <c>nvidia.com/gpu.shared</c>; otherwise unknown (both kinds of pod allowed).
    /// </summary>
    /// <param name="gpuResource">The node's GPU resource.</param>
    /// <param name="labels">The node's labels.</param>
    /// <returns>The sharing and the <c>key=value</c> that decided it.</returns>
    public static (GpuSharing Sharing, string? Evidence) SharingOf(string gpuResource, IDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(gpuResource);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.TryGetValue(ResourceNames.NvidiaGpuSharingStrategyLabel, out var strategy))
        {
            var evidence = $"{ResourceNames.NvidiaGpuSharingStrategyLabel}={strategy}";
            switch (strategy.Trim().ToLowerInvariant())
            {
                case "time-slicing":
                case "mps":
                    return (GpuSharing.Shared, evidence);
                case "none":
                    return (GpuSharing.Exclusive, evidence);
            }
        }

        if (labels.TryGetValue(ResourceNames.NvidiaMpsCapableLabel, out var mps) && string.Equals(mps.Trim(), "true", StringComparison.OrdinalIgnoreCase))
        {
            return (GpuSharing.Shared, $"{ResourceNames.NvidiaMpsCapableLabel}={mps}");
        }

        if (LabelInt(labels, ResourceNames.NvidiaGpuReplicasLabel) is int replicas and > 0)
        {
            return (replicas > 1 ? GpuSharing.Shared : GpuSharing.Exclusive, $"{ResourceNames.NvidiaGpuReplicasLabel}={replicas}");
        }

        return gpuResource == ResourceNames.NvidiaGpuShared
            ? (GpuSharing.Shared, $"resource {ResourceNames.NvidiaGpuShared}")
            : (GpuSharing.Unknown, null);
    }

    /// <summary>
    /// Maps a pod to its demand with Kubernetes' effective-request rule: per resource, the larger
    /// of the app containers' sum (plus restartable init containers) and the largest init-container
    /// step, plus pod overhead; a container limit stands in for a missing request.
    /// </summary>
    /// <param name="pod">The pod.</param>
    /// <returns>The demand.</returns>
    /// <exception cref="KubeObjectException">A malformed quantity or Lepton annotation.</exception>
    public PodDemand ToDemand(V1Pod pod) => ToDemand(PodFacts.From(pod));

    /// <summary>
    /// <see cref="ToDemand(V1Pod)"/> for Pod JSON as kube-scheduler embeds it in an extender
    /// request, read in place (<see cref="PodFacts.From(JsonElement)"/>): the same demand as the
    /// JSON deserialised into a <see cref="V1Pod"/> gives, without building one.
    /// </summary>
    /// <param name="pod">The Pod JSON object.</param>
    /// <returns>The demand.</returns>
    /// <exception cref="JsonException">A field Lepton reads has the wrong JSON type.</exception>
    /// <exception cref="KubeObjectException">A malformed quantity or Lepton annotation.</exception>
    public PodDemand ToDemand(JsonElement pod) => ToDemand(PodFacts.From(pod));

    /// <summary>The mapping itself, over either source's <see cref="PodFacts"/>.</summary>
    /// <param name="pod">The pod's facts.</param>
    /// <returns>The demand.</returns>
    /// <exception cref="KubeObjectException">A malformed quantity or Lepton annotation.</exception>
    public PodDemand ToDemand(PodFacts pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var ns = string.IsNullOrEmpty(pod.Namespace) ? "default" : pod.Namespace;
        var name = pod.Name ?? pod.GenerateName ?? string.Empty;
        var what = $"pod {ns}/{name}";
        var requests = EffectiveRequests(pod, what);
        var annotations = pod.Annotations;
        var labels = pod.Labels;

        string? gpuResource = null;
        long devices = 0;
        foreach (var candidate in GpuResourcePreference)
        {
            if (requests.TryGetValue(candidate, out var q) && q > 0)
            {
                gpuResource = candidate;
                devices = q;
                break;
            }
        }

        var gpuMilli = devices > 0 ? 1000 : 0;
        var gpuCount = (int)Math.Min(devices, 1024);
        if (annotations.TryGetValue(ResourceNames.GpuMilliAnnotation, out var milliText))
        {
            if (!int.TryParse(milliText, NumberStyles.None, CultureInfo.InvariantCulture, out var milli) || milli is < 1 or > 1000)
            {
                throw new KubeObjectException($"{what}: annotation {ResourceNames.GpuMilliAnnotation} must be an integer from 1 to 1000 (milli-GPU per card), got '{milliText}'.");
            }

            gpuMilli = milli;
            gpuCount = Math.Max(gpuCount, 1);
        }

        var models = ModelConstraints(pod, annotations);
        var extended = requests
            .Where(r => r.Value > 0 && ResourceNames.IsExtended(r.Key))
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => new ResourceAmount(r.Key, r.Value))
            .ToImmutableArray();

        return new PodDemand
        {
            Uid = string.IsNullOrEmpty(pod.Uid) ? $"{ns}/{name}" : pod.Uid,
            Namespace = ns,
            Name = name,
            CpuMilli = requests.GetValueOrDefault(ResourceNames.Cpu),
            MemoryBytes = requests.GetValueOrDefault(ResourceNames.Memory),
            GpuCount = gpuMilli > 0 ? gpuCount : 0,
            GpuMilli = gpuMilli,
            GpuResource = gpuResource,
            GpuModels = [.. models],
            Extended = extended,
            Priority = pod.Priority,
            QosClass = pod.QosClass ?? QosOf(pod),
            Gang = labels.TryGetValue(ResourceNames.GangLabel, out var gang) ? gang : null,
            ReservedNode = annotations.TryGetValue(ResourceNames.ReservedNodeAnnotation, out var reserved) && !string.IsNullOrWhiteSpace(reserved) ? reserved.Trim() : null,
            CardsHint = ParseCards(annotations.TryGetValue(ResourceNames.GpuCardsAnnotation, out var cardsText) ? cardsText : null),
            Placement = PlacementOf(pod),
            CreatedAt = pod.CreatedAt,
        };
    }

    /// <summary>The pod's hard node constraints, or null when it has none (the common case costs nothing).</summary>
    /// <param name="pod">The pod's facts.</param>
    /// <returns>The constraints.</returns>
    public static PodPlacement? PlacementOf(PodFacts pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (pod.NodeName is null && pod.NodeSelector.Count == 0 && pod.RequiredNodeTerms is null && pod.Tolerations.Count == 0)
        {
            return null;
        }

        return new PodPlacement
        {
            NodeName = pod.NodeName,
            NodeSelector = pod.NodeSelector.Count == 0 ? [] : [.. pod.NodeSelector.OrderBy(p => p.Key, StringComparer.Ordinal)],
            RequiredTerms = pod.RequiredNodeTerms is { } terms ? [.. terms] : default,
            Tolerations = pod.Tolerations.Count == 0 ? [] : [.. pod.Tolerations],
        };
    }

    /// <summary>Parses the <c>lepton.ai/gpu-cards</c> annotation (<c>0,3</c>); empty when absent or malformed.</summary>
    /// <param name="text">The annotation value.</param>
    /// <returns>The card indices.</returns>
    public static ImmutableArray<int> ParseCards(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var builder = ImmutableArray.CreateBuilder<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var card) || card > 1024)
            {
                return [];
            }

            builder.Add(card);
        }

        return builder.ToImmutable();
    }

    private List<string> ModelConstraints(PodFacts pod, IReadOnlyDictionary<string, string> annotations)
    {
        var fromAnnotation = annotations.TryGetValue(ResourceNames.GpuModelsAnnotation, out var list) ? _catalog.NormalizeList(list) : [];
        var fromSelector = pod.NodeSelector.TryGetValue(ResourceNames.NvidiaGpuProductLabel, out var product)
            ? _catalog.NormalizeList(product)
            : [];
        var fromAffinity = AffinityModels(pod);
        IEnumerable<string>? result = null;
        foreach (var set in new[] { fromAnnotation, fromSelector, fromAffinity })
        {
            if (set.Length > 0)
            {
                result = result is null ? set : result.Intersect(set, StringComparer.Ordinal);
            }
        }

        var models = result?.ToList() ?? [];
        if (result is not null && models.Count == 0)
        {
            // Contradictory constraints: no model satisfies all of them. Keep an impossible model
            // so that filter rejects every node with a readable reason instead of accepting any.
            models.Add("<none: contradictory GPU model constraints>");
        }

        return models;
    }

    private string[] AffinityModels(PodFacts pod)
    {
        var terms = pod.RequiredNodeTerms;
        if (terms is null || terms.Count == 0)
        {
            return [];
        }

        var union = new List<string>();
        foreach (var term in terms)
        {
            var expr = term.MatchExpressions.IsDefault ? null : term.MatchExpressions.FirstOrDefault(e => e.Key == ResourceNames.NvidiaGpuProductLabel && e.Operator == "In");
            if (expr is null || expr.Values.IsDefault)
            {
                return []; // A term without a model constraint admits any model.
            }

            foreach (var v in expr.Values)
            {
                var n = _catalog.Normalize(v);
                if (n is not null && !union.Contains(n))
                {
                    union.Add(n);
                }
            }
        }

        return [.. union];
    }

    private static Dictionary<string, long> EffectiveRequests(PodFacts pod, string what)
    {
        var sum = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var c in pod.Containers)
        {
            AddInto(sum, ContainerRequests(c, what, "container"));
        }

        var sidecars = new Dictionary<string, long>(StringComparer.Ordinal);
        var initMax = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var c in pod.InitContainers)
        {
            var r = ContainerRequests(c, what, "init container");
            if (c.RestartPolicy == "Always")
            {
                AddInto(sidecars, r);
                MaxInto(initMax, sidecars);
            }
            else
            {
                var step = new Dictionary<string, long>(sidecars, StringComparer.Ordinal);
                AddInto(step, r);
                MaxInto(initMax, step);
            }
        }

        AddInto(sum, sidecars);
        MaxInto(sum, initMax);
        if (pod.Overhead is { } overhead)
        {
            AddInto(sum, Parse(overhead, what, "overhead"));
        }

        return sum;
    }

    private static Dictionary<string, long> ContainerRequests(ContainerFacts container, string pod, string kind)
    {
        var result = Parse(container.Limits, pod, kind, container.Name, "limits");
        if (container.Requests is { } requests)
        {
            foreach (var (k, v) in Parse(requests, pod, kind, container.Name, "requests"))
            {
                result[k] = v;
            }
        }

        return result;
    }

    // The message's subject ("pod ns/name container c limits") is built only for an error.
    private static Dictionary<string, long> Parse(IReadOnlyList<KeyValuePair<string, string?>>? quantities, string pod, string kind, string? container = null, string? part = null)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        if (quantities is null)
        {
            return result;
        }

        foreach (var (name, text) in quantities)
        {
            var ok = name == ResourceNames.Cpu ? Quantity.TryParseMilli(text, out var v) : Quantity.TryParseUnits(text, out v);
            if (!ok)
            {
                var what = container is null ? $"{pod} {kind}" : $"{pod} {kind} {container} {part}";
                throw new KubeObjectException($"{what}: {name} is not a valid quantity: '{text}'.");
            }

            result[name] = v;
        }

        return result;
    }

    private static void AddInto(Dictionary<string, long> target, Dictionary<string, long> add)
    {
        foreach (var (k, v) in add)
        {
            target[k] = target.GetValueOrDefault(k) + v;
        }
    }

    private static void MaxInto(Dictionary<string, long> target, Dictionary<string, long> other)
    {
        foreach (var (k, v) in other)
        {
            target[k] = Math.Max(target.GetValueOrDefault(k), v);
        }
    }

    private static long ParseMilli(string? text, string what, string field) =>
        Quantity.TryParseMilli(text, out var v) ? v : throw new KubeObjectException($"{what}: {field} is not a valid quantity: '{text}'.");

    private static long ParseUnits(string? text, string what, string field) =>
        Quantity.TryParseUnits(text, out var v) ? v : throw new KubeObjectException($"{what}: {field} is not a valid quantity: '{text}'.");

    private static int? LabelInt(IDictionary<string, string> labels, string key) =>
        labels.TryGetValue(key, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static string QosOf(PodFacts pod)
    {
        var containers = pod.Containers;
        var anyRequest = containers.Any(c => (c.Requests?.Count ?? 0) > 0 || (c.Limits?.Count ?? 0) > 0);
        if (!anyRequest)
        {
            return "BestEffort";
        }

        var guaranteed = containers.All(c =>
            c.Limits is { } limits
            && limits.Any(l => l.Key == ResourceNames.Cpu) && limits.Any(l => l.Key == ResourceNames.Memory)
            && (c.Requests is null || c.Requests.All(r => limits.Any(l => l.Key == r.Key && SameQuantity(l.Value, r.Value)))));
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    // Equal amounts, as Kubernetes compares them ("1" and "1000m" are the same CPU); texts that
    // do not parse are compared as written.
    private static bool SameQuantity(string? a, string? b) =>
        Quantity.TryParseMilli(a, out var x) && Quantity.TryParseMilli(b, out var y) ? x == y : string.Equals(a, b, StringComparison.Ordinal);
}
