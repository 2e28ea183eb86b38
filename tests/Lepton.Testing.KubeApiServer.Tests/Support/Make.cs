using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Lepton.Testing.KubeApiServer.Tests.Support;

/// <summary>Builders for Kubernetes objects used by the tests.</summary>
internal static class Make
{
    public static PodBuilder Pod(string name, string ns = "default") => new(name, ns);

    public static V1PodDisruptionBudget Pdb(string name, IDictionary<string, string> selector, int minAvailable, string ns = "default") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1PodDisruptionBudgetSpec
        {
            MinAvailable = minAvailable,
            Selector = new V1LabelSelector { MatchLabels = selector },
        },
    };

    public static V1Binding Binding(string pod, string node, string ns = "default") => new()
    {
        Metadata = new V1ObjectMeta { Name = pod, NamespaceProperty = ns },
        Target = new V1ObjectReference { Kind = "Node", Name = node },
    };

    public static V1Eviction Eviction(string pod, string ns = "default") => new()
    {
        Metadata = new V1ObjectMeta { Name = pod, NamespaceProperty = ns },
    };

    /// <summary>Converts a client model to the server's schemaless form.</summary>
    public static JsonObject Json<T>(T model) => (JsonObject)JsonNode.Parse(KubernetesJson.Serialize(model))!;

    internal sealed class PodBuilder(string name, string ns)
    {
        private readonly V1Pod _pod = new()
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = new Dictionary<string, string>() },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox" }] },
        };

        public PodBuilder Label(string key, string value)
        {
            _pod.Metadata.Labels[key] = value;
            return this;
        }

        public PodBuilder Gate(string gate)
        {
            _pod.Spec.SchedulingGates ??= [];
            _pod.Spec.SchedulingGates.Add(new V1PodSchedulingGate { Name = gate });
            return this;
        }

        public PodBuilder OnNode(string node)
        {
            _pod.Spec.NodeName = node;
            return this;
        }

        public PodBuilder Finalizer(string finalizer)
        {
            _pod.Metadata.Finalizers ??= [];
            _pod.Metadata.Finalizers.Add(finalizer);
            return this;
        }

        public PodBuilder Running()
        {
            _pod.Status = new V1PodStatus { Phase = "Running" };
            return this;
        }

        public V1Pod Build() => _pod;

        public JsonObject ToJson() => Json(_pod);
    }
}
