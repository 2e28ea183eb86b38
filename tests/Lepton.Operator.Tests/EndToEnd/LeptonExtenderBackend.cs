using System.Text.Json;
using k8s;
using k8s.Models;
using Lepton.Extender.Verbs;
using Lepton.Extender.Wire;
using Lepton.Scheduling.Inventory;
using Lepton.Simulator.Kube;
using SimFilterResult = Lepton.Simulator.Kube.ExtenderFilterResult;
using SimHostPriority = Lepton.Simulator.Kube.HostPriority;

namespace Lepton.Operator.Tests.EndToEnd;

/// <summary>
/// The <see cref="KubeSchedulerEmulator"/>'s extender seam wired to an operator replica's in-process
/// <see cref="LeptonExtender"/>, with the wire objects kube-scheduler would send (the full Pod as JSON,
/// <c>NodeNames</c> for nodeCacheCapable, the binding arguments).
/// </summary>
public sealed class LeptonExtenderBackend(Func<LeptonExtender> extender, Func<string, V1Pod?> podByUid) : IExtenderBackend
{
    public ValueTask<SimFilterResult> FilterAsync(PodDemand pod, IReadOnlyList<string> nodeNames, CancellationToken cancellationToken)
    {
        var result = extender().Filter(Args(pod, nodeNames));
        var failed = new Dictionary<string, string>(result.FailedNodes ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (node, why) in result.FailedAndUnresolvableNodes ?? new Dictionary<string, string>())
        {
            failed[node] = why;
        }

        return ValueTask.FromResult(new SimFilterResult([.. result.NodeNames ?? []], failed, string.IsNullOrEmpty(result.Error) ? null : result.Error));
    }

    public ValueTask<IReadOnlyList<SimHostPriority>> PrioritizeAsync(PodDemand pod, IReadOnlyList<string> nodeNames, CancellationToken cancellationToken)
    {
        var scores = extender().Prioritize(Args(pod, nodeNames));
        return ValueTask.FromResult<IReadOnlyList<SimHostPriority>>([.. scores.Select(s => new SimHostPriority(s.Host, s.Score))]);
    }

    public async ValueTask<ExtenderBindResult> BindAsync(PodDemand pod, string nodeName, CancellationToken cancellationToken)
    {
        var result = await extender().BindAsync(
            new ExtenderBindingArgs { PodName = pod.Name, PodNamespace = pod.Namespace, PodUID = pod.Uid, Node = nodeName },
            cancellationToken);
        return new ExtenderBindResult(string.IsNullOrEmpty(result.Error) ? null : result.Error);
    }

    private ExtenderArgs Args(PodDemand pod, IReadOnlyList<string> nodeNames)
    {
        var v1 = podByUid(pod.Uid) ?? throw new InvalidOperationException($"pod {pod.Key} is not in the scheduler's cache");
        using var document = JsonDocument.Parse(KubernetesJson.Serialize(v1));
        return new ExtenderArgs { Pod = document.RootElement.Clone(), NodeNames = [.. nodeNames] };
    }
}
