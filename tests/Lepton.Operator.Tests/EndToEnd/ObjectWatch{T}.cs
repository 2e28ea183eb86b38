using k8s;
using k8s.Models;
using Lepton.Operator.Controllers.Caching;
using Lepton.Operator.Controllers.Informers;
using Lepton.Operator.Tests.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lepton.Operator.Tests.EndToEnd;

/// <summary>
/// A test-side informer on the API test server (its own list/watch, real clock), and event-driven waits:
/// <see cref="UntilAsync"/> re-checks its condition on every change of the cache, never on a timer.
/// </summary>
public sealed class ObjectWatch<T> : IAsyncDisposable
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ResourceInformer<T> _informer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Task _run;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ObjectWatch(k8s.Kubernetes client, string? @namespace = null)
    {
        _informer = new ResourceInformer<T>(
            new KubernetesListerWatcher<T>(client, ResourceEndpoint.For<T>(@namespace)),
            new InformerOptions { InitialBackoff = TimeSpan.FromMilliseconds(5), MaxBackoff = TimeSpan.FromMilliseconds(100), BackoffJitter = 0, Randomizer = () => 0, PageSize = 2000 },
            TimeProvider.System,
            NullLogger<ResourceInformer<T>>.Instance);
        _informer.Subscribe(_ => Signal());
        _run = Task.Run(async () =>
        {
            try
            {
                await _informer.RunAsync(_stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
        });
    }

    public IObjectCache<T> Cache => _informer.Cache;

    public IResourceInformer<T> Informer => _informer;

    public Task ReadyAsync() => _informer.ReadyAsync(Hang.Token());

    public IDisposable Subscribe(Action<ResourceEvent<T>> handler) => _informer.Subscribe(handler);

    /// <summary>Completes once <paramref name="condition"/> holds; fails after <paramref name="timeout"/> (a hung test, not timing).</summary>
    public async Task UntilAsync(Func<IObjectCache<T>, bool> condition, string what, TimeSpan? timeout = null)
    {
        using var limit = new CancellationTokenSource(timeout ?? Hang.Timeout);
        await _informer.ReadyAsync(limit.Token);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            if (condition(Cache))
            {
                return;
            }

            try
            {
                await changed.WaitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _stop.Dispose();
    }

    private void Signal()
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }
}
