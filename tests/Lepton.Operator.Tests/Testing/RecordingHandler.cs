namespace Lepton.Operator.Tests.Testing;

/// <summary>
/// Records every request the client sends, when it is sent (the server's request log only lists requests
/// once answered, so an open watch is not in it).
/// </summary>
public sealed class RecordingHandler : DelegatingHandler
{
    private readonly Lock _gate = new();
    private readonly List<Uri> _sent = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<Uri> Sent
    {
        get
        {
            lock (_gate)
            {
                return [.. _sent];
            }
        }
    }

    public IReadOnlyList<string> Watches => [.. Sent.Where(u => u.Query.Contains("watch=true", StringComparison.Ordinal)).Select(u => u.Query)];

    /// <summary>Waits until <paramref name="count"/> sent requests match and returns the last of them.</summary>
    public async Task<Uri> WaitForAsync(Func<Uri, bool> match, int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var matches = _sent.Where(match).ToList();
                if (matches.Count >= count)
                {
                    return matches[count - 1];
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    public Task<Uri> WaitForWatchAsync(int count, CancellationToken cancellationToken)
        => WaitForAsync(u => u.Query.Contains("watch=true", StringComparison.Ordinal), count, cancellationToken);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _sent.Add(request.RequestUri!);
            var previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            previous.TrySetResult();
        }

        return base.SendAsync(request, cancellationToken);
    }
}
