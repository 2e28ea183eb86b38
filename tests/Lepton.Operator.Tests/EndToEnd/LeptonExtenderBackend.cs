using System.Text.Json;
using k8s;
using k8s.Models;
using Lepton.Extender.Verbs;
using Lepton.Kubernetes.Wire;
using Lepton.Scheduling.Inventory;
using Lepton.Simulator.Kube;

namespace Lepton.Operator.Tests.EndToEnd;

/// <summary>
/// The <see cref="KubeSchedulerEmulator"/>'s extender seam wired to an operator replica's in-process
/// <see cref="LeptonExtender"/>, with the wire objects kube-scheduler would send (the full Pod as JSON,
/// <c>NodeNames</c> for nodeCacheCapable, the binding arguments).
/// </summary>
public sealed class LeptonExtenderBackend(Func<LeptonExtender> extender, Func<string, V1Pod?> podByUid) : IExtenderBackend
{
    public ValueTask<ExtenderFilterResult> FilterAsync(PodDemand pod, IReadOnlyList<string> nodeNames, CancellationToken cancellationToken) =>
        ValueTask.FromResult(extender().Filter(Args(pod, nodeNames)));

    public ValueTask<HostScores> PrioritizeAsync(PodDemand pod, IReadOnlyList<string> nodeNames, CancellationToken cancellationToken) =>
        ValueTask.FromResult(extender().PrioritizeScores(Args(pod, nodeNames)));

    public ValueTask<ExtenderBindingResult> BindAsync(PodDemand pod, string nodeName, CancellationToken cancellationToken) =>
        extender().BindAsync(
            new ExtenderBindingArgs { PodName = pod.Name, PodNamespace = pod.Namespace, PodUID = pod.Uid, Node = nodeName },
            cancellationToken);

    private ExtenderArgs Args(PodDemand pod, IReadOnlyList<string> nodeNames)
    {
        var v1 = podByUid(pod.Uid) ?? throw new InvalidOperationException($"pod {pod.Key} is not in the scheduler's cache");
        using var document = JsonDocument.Parse(KubernetesJson.Serialize(v1));
        return new ExtenderArgs { Pod = document.RootElement.Clone(), NodeNames = [.. nodeNames] };
    }
}
