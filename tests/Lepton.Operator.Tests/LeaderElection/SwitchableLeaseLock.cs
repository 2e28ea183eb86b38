using Lepton.Operator.LeaderElection;

namespace Lepton.Operator.Tests.LeaderElection;

/// <summary>One replica's view of a shared lock: can lose its connection, or miss the Lease on read (a create race).</summary>
internal sealed class SwitchableLeaseLock(ILeaseLock inner) : ILeaseLock
{
    public bool Down { get; set; }

    public bool HideOnNextGet { get; set; }

    public string Description => inner.Description;

    public async Task<LeaseSnapshot?> GetAsync(CancellationToken cancellationToken)
    {
        ThrowIfDown();
        var current = await inner.GetAsync(cancellationToken);
        if (HideOnNextGet)
        {
            HideOnNextGet = false;
            return null;
        }

        return current;
    }

    public Task<LeaseSnapshot> CreateAsync(LeaseRecord record, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return inner.CreateAsync(record, cancellationToken);
    }

    public Task<LeaseSnapshot> UpdateAsync(LeaseSnapshot current, LeaseRecord record, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return inner.UpdateAsync(current, record, cancellationToken);
    }

    private void ThrowIfDown()
    {
        if (Down)
        {
            throw new HttpRequestException("connection refused");
        }
    }
}
