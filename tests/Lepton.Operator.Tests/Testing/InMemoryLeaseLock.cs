using System.Globalization;
using Lepton.Operator.LeaderElection;
using Lepton.Operator.Resilience;

namespace Lepton.Operator.Tests.Testing;

/// <summary>One in-memory Lease shared by several electors, with optimistic concurrency and fault injection.</summary>
public sealed class InMemoryLeaseLock : ILeaseLock
{
    private readonly Lock _gate = new();
    private LeaseSnapshot? _current;
    private long _version;

    public string Description => "test/lease";

    public LeaseSnapshot? Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>When set, every call throws this (an unreachable API server).</summary>
    public Func<Exception>? Failure { get; set; }

    /// <summary>Runs before an update is applied: lets a test slip in a concurrent write.</summary>
    public Action? BeforeUpdate { get; set; }

    public int Updates { get; private set; }

    public Task<LeaseSnapshot?> GetAsync(CancellationToken cancellationToken)
    {
        ThrowIfFailing(cancellationToken);
        lock (_gate)
        {
            return Task.FromResult(_current);
        }
    }

    public Task<LeaseSnapshot> CreateAsync(LeaseRecord record, CancellationToken cancellationToken)
    {
        ThrowIfFailing(cancellationToken);
        lock (_gate)
        {
            if (_current is not null)
            {
                throw new ConflictException("exists");
            }

            _current = new LeaseSnapshot(record, NextVersion());
            return Task.FromResult(_current);
        }
    }

    public Task<LeaseSnapshot> UpdateAsync(LeaseSnapshot current, LeaseRecord record, CancellationToken cancellationToken)
    {
        ThrowIfFailing(cancellationToken);
        var hook = BeforeUpdate;
        BeforeUpdate = null;
        hook?.Invoke();
        lock (_gate)
        {
            if (_current is null || _current.ResourceVersion != current.ResourceVersion)
            {
                throw new ConflictException("stale");
            }

            Updates++;
            _current = new LeaseSnapshot(record, NextVersion());
            return Task.FromResult(_current);
        }
    }

    /// <summary>Writes a record directly (another replica, or an administrator).</summary>
    public void Set(LeaseRecord record)
    {
        lock (_gate)
        {
            _current = new LeaseSnapshot(record, NextVersion());
        }
    }

    private string NextVersion() => (++_version).ToString(CultureInfo.InvariantCulture);

    private void ThrowIfFailing(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Failure is { } failure)
        {
            throw failure();
        }
    }
}
