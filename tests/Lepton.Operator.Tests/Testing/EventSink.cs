using System.Threading.Channels;
using Lepton.Operator.Controllers.Informers;

namespace Lepton.Operator.Tests.Testing;

/// <summary>Collects informer events; reads can drive a <see cref="TestClock"/> through backoff waits.</summary>
public sealed class EventSink<T>
    where T : class
{
    private readonly Channel<ResourceEvent<T>> _events = Channel.CreateUnbounded<ResourceEvent<T>>();

    public void Handle(ResourceEvent<T> e) => _events.Writer.TryWrite(e);

    public async Task<List<ResourceEvent<T>>> ReadAsync(int count, TestClock? clock = null)
    {
        var ct = Timeouts.Token();
        var events = new List<ResourceEvent<T>>();
        for (var i = 0; i < count; i++)
        {
            var read = _events.Reader.ReadAsync(ct).AsTask();
            if (clock is not null)
            {
                await clock.AdvanceUntilAsync(read, TimeSpan.FromSeconds(30), ct);
            }

            events.Add(await read);
        }

        return events;
    }

    public bool TryRead(out ResourceEvent<T> e) => _events.Reader.TryRead(out e);
}
