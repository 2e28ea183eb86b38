namespace Lepton.Operator.Sync;

/// <summary>
/// Work that keeps derived entries of the cluster state fresh, run by <see cref="ClusterStateSyncService"/>
/// after each periodic forget pass (on every replica).
/// </summary>
/// <example>
/// <code>
/// public sealed class ReservationKeeper(ClusterState state) : IClusterStateMaintenance
/// {
///     public void Maintain() { /* re-assume reservations that ForgetExpired dropped */ }
/// }
/// </code>
/// </example>
public interface IClusterStateMaintenance
{
    /// <summary>Runs one maintenance pass; must be fast and must not throw.</summary>
    void Maintain();
}
