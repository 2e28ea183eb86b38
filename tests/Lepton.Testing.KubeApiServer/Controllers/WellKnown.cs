using Lepton.Testing.KubeApiServer.Resources;

namespace Lepton.Testing.KubeApiServer.Controllers;

/// <summary>Resources the built-in controllers and subresources work with.</summary>
internal static class WellKnown
{
    public static readonly GroupResource Pods = new("", "pods");
    public static readonly GroupResource Namespaces = new("", "namespaces");
    public static readonly GroupResource PriorityClasses = new("scheduling.k8s.io", "priorityclasses");
    public static readonly GroupResource PodDisruptionBudgets = new("policy", "poddisruptionbudgets");
    public static readonly GroupResource CustomResourceDefinitions = new("apiextensions.k8s.io", "customresourcedefinitions");
}
