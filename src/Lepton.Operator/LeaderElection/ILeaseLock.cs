namespace Lepton.Operator.LeaderElection;

/// <summary>
/// Get, create and update of one Lease (client-go's <c>LeaseLock</c>). A seam: production uses
/// <see cref="KubernetesLeaseLock"/>, tests may use an in-memory lock.
/// </summary>
public interface ILeaseLock
{
    /// <summary>Gets a description for logs (<c>namespace/name</c>).</summary>
    string Description { get; }

    /// <summary>Reads the Lease.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The Lease, or null when it does not exist.</returns>
    Task<LeaseSnapshot?> GetAsync(CancellationToken cancellationToken);

    /// <summary>Creates the Lease; throws <see cref="Resilience.ConflictException"/> when it already exists.</summary>
    /// <param name="record">The record to write.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created Lease.</returns>
    Task<LeaseSnapshot> CreateAsync(LeaseRecord record, CancellationToken cancellationToken);

    /// <summary>Replaces the Lease if it is still at <paramref name="current"/>'s resourceVersion; else throws <see cref="Resilience.ConflictException"/>.</summary>
    /// <param name="current">The Lease as last read.</param>
    /// <param name="record">The record to write.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated Lease.</returns>
    Task<LeaseSnapshot> UpdateAsync(LeaseSnapshot current, LeaseRecord record, CancellationToken cancellationToken);
}
