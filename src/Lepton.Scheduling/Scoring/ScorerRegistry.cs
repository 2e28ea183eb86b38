using Lepton.Scheduling.Scoring.BestFit;
using Lepton.Scheduling.Scoring.DotProd;
using Lepton.Scheduling.Scoring.Fgd;
using Lepton.Scheduling.Scoring.GpuClustering;
using Lepton.Scheduling.Scoring.GpuPacking;
using Lepton.Scheduling.Scoring.NodeResources;
using RandomPolicy = Lepton.Scheduling.Scoring.Random.RandomScorer;

namespace Lepton.Scheduling.Scoring;

/// <summary>
/// Named placement policies (DECISIONS.md 14). Names match case-insensitively; the heuristic
/// policies are built in and other assemblies (the learned scorer) register theirs.
/// </summary>
public sealed class ScorerRegistry
{
    private readonly Dictionary<string, Func<NodeScorer>> _factories = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The six policies of the FGD paper's table, in its column order.</summary>
    public static IReadOnlyList<string> PaperPolicies { get; } =
        [RandomPolicy.PolicyName, DotProdScorer.PolicyName, GpuClusteringScorer.PolicyName, GpuPackingScorer.PolicyName, BestFitScorer.PolicyName, FgdScorer.PolicyName];

    /// <summary>The registered policy names, in registration order.</summary>
    public IReadOnlyCollection<string> Names => [.. _order];

    private readonly List<string> _order = [];

    /// <summary>A registry with every heuristic policy.</summary>
    /// <returns>The registry.</returns>
    public static ScorerRegistry CreateDefault()
    {
        var r = new ScorerRegistry();
        r.Register(RandomPolicy.PolicyName, () => new RandomPolicy());
        r.Register(DotProdScorer.PolicyName, () => new DotProdScorer());
        r.Register(GpuClusteringScorer.PolicyName, () => new GpuClusteringScorer());
        r.Register(GpuPackingScorer.PolicyName, () => new GpuPackingScorer());
        r.Register(BestFitScorer.PolicyName, () => new BestFitScorer());
        r.Register(FgdScorer.PolicyName, () => new FgdScorer());
        r.Register(NodeResourcesScorer.MostAllocatedName, () => new NodeResourcesScorer(mostAllocated: true));
        r.Register(NodeResourcesScorer.LeastAllocatedName, () => new NodeResourcesScorer(mostAllocated: false));
        return r;
    }

    /// <summary>Registers a policy.</summary>
    /// <param name="name">The policy name.</param>
    /// <param name="factory">Creates a scorer.</param>
    /// <exception cref="ArgumentException">The name is taken.</exception>
    public void Register(string name, Func<NodeScorer> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (!_factories.TryAdd(name, factory))
        {
            throw new ArgumentException($"Policy '{name}' is already registered.", nameof(name));
        }

        _order.Add(name);
    }

    /// <summary>Whether a policy name is known.</summary>
    /// <param name="name">The name.</param>
    /// <returns>True when registered.</returns>
    public bool Contains(string name) => _factories.ContainsKey(name);

    /// <summary>Creates the scorer for a policy name.</summary>
    /// <param name="name">The name (any case).</param>
    /// <returns>A new scorer.</returns>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the known ones.</exception>
    public NodeScorer Create(string name)
    {
        if (name is not null && _factories.TryGetValue(name, out var factory))
        {
            return factory();
        }

        throw new ArgumentException($"Unknown policy '{name}'. Known policies: {string.Join(", ", _order)}.", nameof(name));
    }
}
