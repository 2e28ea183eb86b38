using System.Globalization;
using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Json;
using Lepton.Testing.KubeApiServer.Resources;
using Lepton.Testing.KubeApiServer.Storage.Strategies;

namespace Lepton.Testing.KubeApiServer.Tables;

/// <summary>The table columns of built-in resources (a subset of <c>pkg/printers/internalversion</c>).</summary>
internal static class BuiltInColumns
{
    public static readonly TableColumn Name = new("Name", "string", "name",
        "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically.",
        0, (o, _) => ObjectMeta.Name(o));

    public static readonly TableColumn Age = new("Age", "string", "",
        "CreationTimestamp is a timestamp representing the server time when this object was created.",
        0, (o, now) => AgeOf(JsonNodes.GetString(ObjectMeta.Of(o), "creationTimestamp"), now));

    private static readonly Dictionary<GroupResource, TableColumn[]> Columns = new()
    {
        [new("", "pods")] =
        [
            Name,
            Column("Ready", "string", "The aggregate readiness state of this pod for accepting traffic.", PodReady),
            Column("Status", "string", "The aggregate status of the containers in this pod.", PodStatus),
            Column("Restarts", "string", "The number of times the containers in this pod have been restarted.", PodRestarts),
            Age,
            Column("IP", "string", "IP address allocated to the pod.", (o, _) => Text(o, "status", "podIP") ?? "<none>", priority: 1),
            Column("Node", "string", "Name of the Node this pod is assigned to.", (o, _) => Text(o, "spec", "nodeName") ?? "<none>", priority: 1),
            Column("Nominated Node", "string", "Name of the node nominated by the scheduler.", (o, _) => Text(o, "status", "nominatedNodeName") ?? "<none>", priority: 1),
        ],
        [new("", "nodes")] =
        [
            Name,
            Column("Status", "string", "The status of the node", NodeStatus),
            Column("Roles", "string", "The roles of the node", NodeRoles),
            Age,
            Column("Version", "string", "Kubelet Version reported by the node.", (o, _) => Text(o, "status", "nodeInfo", "kubeletVersion") ?? ""),
        ],
        [new("", "namespaces")] =
        [
            Name,
            Column("Status", "string", "The status of the namespace", (o, _) => Text(o, "status", "phase") ?? ""),
            Age,
        ],
        [new("", "configmaps")] =
        [
            Name,
            Column("Data", "integer", "Number of data in the configmap", (o, _) => (JsonNodes.GetObject(o, "data")?.Count ?? 0) + (JsonNodes.GetObject(o, "binaryData")?.Count ?? 0)),
            Age,
        ],
        [new("", "events")] =
        [
            Column("Last Seen", "string", "Time when last seen", (o, now) => AgeOf(Text(o, "lastTimestamp") ?? Text(o, "eventTime") ?? Text(o, "metadata", "creationTimestamp"), now)),
            Column("Type", "string", "Type of this event.", (o, _) => Text(o, "type") ?? ""),
            Column("Reason", "string", "Short, machine understandable string that gives the reason for this event being generated.", (o, _) => Text(o, "reason") ?? ""),
            Column("Object", "string", "The object that this event is about.", (o, _) => (Text(o, "involvedObject", "kind") ?? "").ToLowerInvariant() + "/" + Text(o, "involvedObject", "name")),
            Column("Message", "string", "A human-readable description of the status of this operation.", (o, _) => Text(o, "message") ?? ""),
            Name with { Priority = 1 },
        ],
        [new("coordination.k8s.io", "leases")] =
        [
            Name,
            Column("Holder", "string", "The holder of the lease", (o, _) => Text(o, "spec", "holderIdentity") ?? ""),
            Age,
        ],
        [new("policy", "poddisruptionbudgets")] =
        [
            Name,
            Column("Min Available", "string", "The minimum number of pods that must be available.", (o, _) => Text(o, "spec", "minAvailable") ?? "N/A"),
            Column("Max Unavailable", "string", "The maximum number of pods that may be unavailable.", (o, _) => Text(o, "spec", "maxUnavailable") ?? "N/A"),
            Column("Allowed Disruptions", "integer", "Calculated number of pods that may be disrupted at this time.", (o, _) => JsonNodes.GetInt64(JsonNodes.GetObject(o, "status"), "disruptionsAllowed") ?? 0),
            Age,
        ],
        [new("apiextensions.k8s.io", "customresourcedefinitions")] =
        [
            Name,
            Column("Created At", "date", "The time the CRD was created.", (o, _) => Text(o, "metadata", "creationTimestamp")),
        ],
    };

    /// <summary>The columns of a built-in resource; Name and Age for everything not listed.</summary>
    public static IReadOnlyList<TableColumn> For(GroupResource resource) => Columns.GetValueOrDefault(resource) ?? [Name, Age];

    public static string AgeOf(string? timestamp, DateTimeOffset now) =>
        KubeTime.TryParse(timestamp, out var created) ? KubeTime.HumanDuration(now - created) : "<unknown>";

    private static TableColumn Column(string name, string type, string description, Func<JsonObject, DateTimeOffset, JsonNode?> cell, int priority = 0) =>
        new(name, type, "", description, priority, cell);

    private static string? Text(JsonObject obj, params string[] path) => JsonNodes.GetScalarText(obj, path);

    private static JsonNode PodReady(JsonObject pod, DateTimeOffset now)
    {
        var total = JsonNodes.GetArray(JsonNodes.GetObject(pod, "spec"), "containers")?.Count ?? 0;
        var ready = JsonNodes.GetArray(JsonNodes.GetObject(pod, "status"), "containerStatuses")?.OfType<JsonObject>()
            .Count(c => JsonNodes.GetBool(c, "ready") == true) ?? 0;
        return string.Create(CultureInfo.InvariantCulture, $"{ready}/{total}");
    }

    private static JsonNode PodStatus(JsonObject pod, DateTimeOffset now)
    {
        if (ObjectMeta.IsDeleting(pod))
        {
            return "Terminating";
        }

        var status = JsonNodes.GetObject(pod, "status");
        if (JsonNodes.GetString(status, "reason") is { Length: > 0 } reason)
        {
            return reason;
        }

        if (PodStrategy.SchedulingGates(pod).Count > 0)
        {
            return "SchedulingGated";
        }

        foreach (var container in JsonNodes.GetArray(status, "containerStatuses")?.OfType<JsonObject>() ?? [])
        {
            var state = JsonNodes.GetObject(container, "state");
            if (JsonNodes.GetString(JsonNodes.GetObject(state, "waiting"), "reason") is { Length: > 0 } waiting)
            {
                return waiting;
            }

            if (JsonNodes.GetString(JsonNodes.GetObject(state, "terminated"), "reason") is { Length: > 0 } terminated)
            {
                return terminated;
            }
        }

        return JsonNodes.GetString(status, "phase") ?? "Unknown";
    }

    private static JsonNode PodRestarts(JsonObject pod, DateTimeOffset now) =>
        (JsonNodes.GetArray(JsonNodes.GetObject(pod, "status"), "containerStatuses")?.OfType<JsonObject>()
            .Sum(c => JsonNodes.GetInt64(c, "restartCount") ?? 0) ?? 0).ToString(CultureInfo.InvariantCulture);

    private static JsonNode NodeStatus(JsonObject node, DateTimeOffset now)
    {
        var ready = JsonNodes.GetArray(JsonNodes.GetObject(node, "status"), "conditions")?.OfType<JsonObject>()
            .FirstOrDefault(c => JsonNodes.GetString(c, "type") == "Ready");
        var text = JsonNodes.GetString(ready, "status") switch
        {
            "True" => "Ready",
            "False" => "NotReady",
            _ => "Unknown",
        };
        return JsonNodes.GetBool(JsonNodes.GetObject(node, "spec"), "unschedulable") == true ? text + ",SchedulingDisabled" : text;
    }

    private static JsonNode NodeRoles(JsonObject node, DateTimeOffset now)
    {
        const string Prefix = "node-role.kubernetes.io/";
        var roles = (ObjectMeta.Labels(node) ?? [])
            .Select(l => l.Key)
            .Where(k => k.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(k => k[Prefix.Length..])
            .Where(r => r.Length > 0)
            .Order(StringComparer.Ordinal)
            .ToArray();
        return roles.Length == 0 ? "<none>" : string.Join(',', roles);
    }
}
