using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.State;

namespace Lepton.Scheduling.Fragmentation;

/// <summary>
/// Holds the fragmentation model FGD scores with: built from the cluster state's recent pods
/// when there are at least <c>minPods</c> (the extender's <c>MinRecentPodsForMix</c>), else the
/// <see cref="BuiltInTypicalMix"/>. <see cref="Refresh"/> rebuilds it (only when the state changed).
/// </summary>
public sealed class TypicalMixProvider : ITypicalMixSource
{
    private readonly ClusterState _state;
    private readonly int _minPods;
    private readonly double _coverage;
    private readonly Action<bool>? _builtInChanged;
    private readonly FragmentationModel _builtIn;
    private readonly Lock _gate = new();
    private volatile FragmentationModel _current;
    private long _builtAtVersion = -1;

    /// <summary>Creates the provider, starting with the built-in mix.</summary>
    /// <param name="state">The cluster state.</param>
    /// <param name="minPods">The recent pods needed for a live mix.</param>
    /// <param name="coverage">The live mix's popularity threshold.</param>
    /// <param name="builtInChanged">Told whether the built-in mix is in use, at creation and on every rebuild (e.g. a gauge), or null.</param>
    public TypicalMixProvider(ClusterState state, int minPods, double coverage, Action<bool>? builtInChanged = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        _state = state;
        _minPods = minPods;
        _coverage = coverage;
        _builtInChanged = builtInChanged;
        _builtIn = BuiltInTypicalMix.CreateModel();
        _current = _builtIn;
        UsesBuiltIn = true;
        _builtInChanged?.Invoke(true);
    }

    /// <summary>The model to score with now.</summary>
    public FragmentationModel Current => _current;

    /// <summary>Whether <see cref="Current"/> is the built-in mix.</summary>
    public bool UsesBuiltIn { get; private set; }

    /// <summary>Rebuilds the model from the cluster state's recent pods if the state changed.</summary>
    /// <returns>True when the model was replaced.</returns>
    public bool Refresh()
    {
        lock (_gate)
        {
            var version = _state.Version;
            if (version == _builtAtVersion)
            {
                return false;
            }

            _builtAtVersion = version;
            var recent = _state.RecentPods();
            var useBuiltIn = recent.Count < _minPods;
            var next = useBuiltIn ? _builtIn : FragmentationModel.FromPods(recent, _coverage);
            var changed = !ReferenceEquals(next, _current);
            _current = next;
            UsesBuiltIn = useBuiltIn;
            _builtInChanged?.Invoke(useBuiltIn);
            return changed;
        }
    }
}
