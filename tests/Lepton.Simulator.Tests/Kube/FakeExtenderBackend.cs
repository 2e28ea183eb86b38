using Lepton.Kubernetes.Wire;
using Lepton.Scheduling.Inventory;
using Lepton.Simulator.Kube;

namespace Lepton.Simulator.Tests.Kube;

/// <summary>An extender that passes every node, scores from a table and records calls.</summary>
internal sealed class FakeExtenderBackend : IExtenderBackend
{
    public Dictionary<string, long> Scores { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Rejected { get; } = new(StringComparer.Ordinal);

    public List<IReadOnlyList<string>> FilterCalls { get; } = [];

    public int PrioritizeCalls { get; private set; }

    public List<string> Bound { get; } = [];

    public ValueTask<ExtenderFilterResult> FilterAsync(PodDemand pod, IReadOnlyList<string> nodeNames, CancellationToken cancellationToken)
    {
        FilterCalls.Add([.. nodeNames]);
        return ValueTask.FromResult(new ExtenderFilterResult { NodeNames = [.. nodeNames.Where(n => !Rejected.Contains(n))] });
    }

    public ValueTask<HostScores> PrioritizeAsync(PodDemand pod, IReadOnlyList<string> nodeNames, CancellationToken cancellationToken)
    {
        PrioritizeCalls++;

        // Reversed on purpose: the scheduler must match hosts by name, not by position.
        string[] hosts = [.. nodeNames.Reverse()];
        return ValueTask.FromResult(new HostScores(hosts, [.. hosts.Select(n => Scores.GetValueOrDefault(n))]));
    }

    public ValueTask<ExtenderBindingResult> BindAsync(PodDemand pod, string nodeName, CancellationToken cancellationToken)
    {
        Bound.Add(nodeName);
        return ValueTask.FromResult(new ExtenderBindingResult());
    }
}
