namespace Lepton.Testing.KubeApiServer.Resources;

/// <summary>
/// The resource table of the built-in API groups. Adding a resource is one line: storage, CRUD, watch,
/// discovery, selectors and tables follow from the definition.
/// </summary>
internal static class BuiltInResources
{
    private static readonly string[] StatusOnly = [SubresourceDefinition.Status];

    public static IReadOnlyList<ResourceDefinition> All { get; } =
    [
        // core/v1
        Define("", "v1", "namespaces", "Namespace", namespaced: false, ["ns"], StatusOnly, ["status.phase"], returnDeleted: true),
        Define("", "v1", "nodes", "Node", namespaced: false, ["no"], StatusOnly, ["spec.unschedulable"], returnDeleted: true),
        Define("", "v1", "pods", "Pod", namespaced: true, ["po"], [SubresourceDefinition.Status, SubresourceDefinition.Binding, SubresourceDefinition.Eviction],
            ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"],
            returnDeleted: true, clearStatus: true, categories: ["all"]),
        Define("", "v1", "bindings", "Binding", namespaced: true, verbs: ["create"]),
        Define("", "v1", "services", "Service", namespaced: true, ["svc"], StatusOnly, returnDeleted: true, clearStatus: true, categories: ["all"]),
        Define("", "v1", "endpoints", "Endpoints", namespaced: true, ["ep"]),
        Define("", "v1", "configmaps", "ConfigMap", namespaced: true, ["cm"]),
        Define("", "v1", "secrets", "Secret", namespaced: true, fields: ["type"]),
        Define("", "v1", "serviceaccounts", "ServiceAccount", namespaced: true, ["sa"], returnDeleted: true),
        Define("", "v1", "events", "Event", namespaced: true, ["ev"],
            fields: ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion",
                "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"]),

        // named groups
        Define("coordination.k8s.io", "v1", "leases", "Lease", namespaced: true),
        Define("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", namespaced: true, ["pdb"], StatusOnly, clearStatus: true),
        Define("events.k8s.io", "v1", "events", "Event", namespaced: true, ["ev"],
            fields: ["regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid", "reason", "reportingController", "type"]),
        Define("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", namespaced: false, ["crd", "crds"], StatusOnly, returnDeleted: true),
        Define("apps", "v1", "deployments", "Deployment", namespaced: true, ["deploy"], StatusOnly, clearStatus: true, categories: ["all"]),
        Define("apps", "v1", "replicasets", "ReplicaSet", namespaced: true, ["rs"], StatusOnly, clearStatus: true, categories: ["all"]),
        Define("apps", "v1", "statefulsets", "StatefulSet", namespaced: true, ["sts"], StatusOnly, clearStatus: true, categories: ["all"]),
        Define("apps", "v1", "daemonsets", "DaemonSet", namespaced: true, ["ds"], StatusOnly, clearStatus: true, categories: ["all"]),
        Define("batch", "v1", "jobs", "Job", namespaced: true, subresources: StatusOnly, clearStatus: true, categories: ["all"]),
        Define("batch", "v1", "cronjobs", "CronJob", namespaced: true, ["cj"], StatusOnly, clearStatus: true, categories: ["all"]),
        Define("scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass", namespaced: false, ["pc"]),
        Define("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", namespaced: true),
    ];

    private static ResourceDefinition Define(
        string group,
        string version,
        string plural,
        string kind,
        bool namespaced,
        string[]? shortNames = null,
        string[]? subresources = null,
        string[]? fields = null,
        bool returnDeleted = false,
        bool clearStatus = false,
        string[]? categories = null,
        string[]? verbs = null) =>
        new()
        {
            Group = group,
            Version = version,
            Plural = plural,
            Singular = kind.ToLowerInvariant(),
            Kind = kind,
            Namespaced = namespaced,
            ShortNames = shortNames ?? [],
            Categories = categories ?? [],
            Verbs = verbs ?? ResourceDefinition.StandardVerbs,
            Subresources = (subresources ?? []).Select(s => Subresource(kind, s)).ToArray(),
            SelectableFields = fields ?? [],
            ReturnDeletedObject = returnDeleted,
            ClearStatusOnCreate = clearStatus,
        };

    private static SubresourceDefinition Subresource(string parentKind, string name) => name switch
    {
        SubresourceDefinition.Binding => new(name, "Binding", ["create"], "", "v1"),
        SubresourceDefinition.Eviction => new(name, "Eviction", ["create"], "policy", "v1"),
        _ => new(name, parentKind, ["get", "patch", "update"]),
    };
}
