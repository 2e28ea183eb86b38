namespace Lepton.Operator.Rebalancing;

/// <summary>
/// What the rebalancer must leave alone for a while, kept in memory by the leader (a new leader starts afresh):
/// moved workloads (by pod <c>namespace/name</c> and by controller UID, since a ReplicaSet's replacement has a new
/// name), nodes recently drained of a pod, and pods whose eviction a PodDisruptionBudget refused (until the
/// server's <c>retryAfterSeconds</c> has passed; without a hint, until the next cycle). Not thread-safe: one cycle at a time.
/// </summary>
public sealed class RebalanceCooldowns
{
    private readonly Dictionary<string, DateTimeOffset> _pods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _controllers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _blocked = new(StringComparer.Ordinal);

    /// <summary>Gets the number of entries held (all kinds, expired ones included until the next <see cref="Prune"/>).</summary>
    public int Count => _pods.Count + _controllers.Count + _nodes.Count + _blocked.Count;

    /// <summary>Whether <paramref name="candidate"/> must not be moved at <paramref name="now"/>.</summary>
    /// <param name="candidate">The candidate.</param>
    /// <param name="now">The time.</param>
    /// <returns>True while the pod, its controller or its node cools down, or a budget's retry hint has not passed.</returns>
    public bool IsCoolingDown(RebalanceCandidate candidate, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return Active(_pods, candidate.Key, now)
            || (candidate.ControllerUid is { } uid && Active(_controllers, uid, now))
            || Active(_nodes, candidate.Placement.NodeName, now)
            || Active(_blocked, candidate.Placement.Pod.Uid, now);
    }

    /// <summary>Records a pod evicted by <paramref name="move"/>.</summary>
    /// <param name="move">The move.</param>
    /// <param name="now">The time of the eviction.</param>
    /// <param name="podCooldown">How long the workload is left alone.</param>
    /// <param name="nodeCooldown">How long the source node is left alone.</param>
    public void Moved(RebalanceMove move, DateTimeOffset now, TimeSpan podCooldown, TimeSpan nodeCooldown)
    {
        ArgumentNullException.ThrowIfNull(move);
        _pods[move.Pod.Key] = now + podCooldown;
        if (move.ControllerUid is { } uid)
        {
            _controllers[uid] = now + podCooldown;
        }

        _nodes[move.SourceNode] = now + nodeCooldown;
        _blocked.Remove(move.Pod.Uid);
    }

    /// <summary>Records that a budget refused to evict the pod <paramref name="podUid"/>.</summary>
    /// <param name="podUid">The pod UID.</param>
    /// <param name="now">The time of the refusal.</param>
    /// <param name="retryAfter">The server's hint; null or zero lets the next cycle try again.</param>
    public void Blocked(string podUid, DateTimeOffset now, TimeSpan? retryAfter)
    {
        ArgumentException.ThrowIfNullOrEmpty(podUid);
        _blocked[podUid] = now + (retryAfter is { } r && r > TimeSpan.Zero ? r : TimeSpan.Zero);
    }

    /// <summary>Drops entries that have expired at <paramref name="now"/>.</summary>
    /// <param name="now">The time.</param>
    public void Prune(DateTimeOffset now)
    {
        foreach (var map in new[] { _pods, _controllers, _nodes, _blocked })
        {
            foreach (var key in map.Where(kv => kv.Value <= now).Select(kv => kv.Key).ToArray())
            {
                map.Remove(key);
            }
        }
    }

    /// <summary>Forgets everything (leadership changed hands).</summary>
    public void Clear()
    {
        _pods.Clear();
        _controllers.Clear();
        _nodes.Clear();
        _blocked.Clear();
    }

    private static bool Active(Dictionary<string, DateTimeOffset> map, string key, DateTimeOffset now)
        => map.TryGetValue(key, out var until) && until > now;
}
