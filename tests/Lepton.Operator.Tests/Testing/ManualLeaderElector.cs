using Lepton.Operator.LeaderElection;

namespace Lepton.Operator.Tests.Testing;

/// <summary>An elector a test grants and revokes leadership on.</summary>
public sealed class ManualLeaderElector : ILeaderElector
{
    private readonly Lock _gate = new();
    private TaskCompletionSource<CancellationToken> _leading = New();
    private CancellationTokenSource? _term;

    public event EventHandler<LeadershipChangedEventArgs>? LeadershipChanged;

    public string Identity => "manual";

    public bool IsLeader
    {
        get
        {
            lock (_gate)
            {
                return _term is not null;
            }
        }
    }

    public Task<CancellationToken> WaitForLeadershipAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _leading.Task.WaitAsync(cancellationToken);
        }
    }

    public void Grant()
    {
        lock (_gate)
        {
            _term = new CancellationTokenSource();
            _leading.TrySetResult(_term.Token);
        }

        LeadershipChanged?.Invoke(this, new LeadershipChangedEventArgs(true, Identity));
    }

    public void Revoke()
    {
        CancellationTokenSource? term;
        lock (_gate)
        {
            term = _term;
            _term = null;
            _leading = New();
        }

        term?.Cancel();
        term?.Dispose();
        LeadershipChanged?.Invoke(this, new LeadershipChangedEventArgs(false, Identity));
    }

    private static TaskCompletionSource<CancellationToken> New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
