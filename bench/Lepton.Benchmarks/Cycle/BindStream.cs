using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Lepton.Benchmarks.Cycle;

/// <summary>
/// kube-scheduler's asynchronous binding beside its cycles: a second keep-alive connection posting
/// <c>/bind</c> for every pod whose cycle found a host, in cycle order, as fast as the cycles hand
/// them over (so at the cycle rate). A bind answered with <c>Error</c> failed cleanly (counted as
/// refused); a transport error or an answer that is not HTTP 200 is a failure.
/// </summary>
public sealed class BindStream : IAsyncDisposable
{
    private readonly Channel<BindRequest> _queue = Channel.CreateUnbounded<BindRequest>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly ExtenderConnection _connection;
    private readonly Uri _bind;
    private readonly Action<BindRequest>? _before;
    private readonly Action<BindRequest, bool>? _after;
    private readonly Task _worker;

    /// <summary>Starts the stream.</summary>
    /// <param name="address">The extender's base address.</param>
    /// <param name="before">Runs before each bind, not timed (Lepton's host makes the pod known to its pod lookup, as the informer would).</param>
    /// <param name="after">Runs after each bind with whether it bound (Lepton's host lets old pods finish, keeping the cluster's fill steady).</param>
    public BindStream(Uri address, Action<BindRequest>? before = null, Action<BindRequest, bool>? after = null)
    {
        _connection = new ExtenderConnection(address);
        _bind = new Uri(address, "bind");
        _before = before;
        _after = after;
        _worker = Task.Run(RunAsync);
    }

    /// <summary>Binds answered with an empty <c>Error</c>.</summary>
    public int Bound { get; private set; }

    /// <summary>Binds answered with an <c>Error</c> (a clean failure: the pod goes back to kube-scheduler's queue).</summary>
    public int Refused { get; private set; }

    /// <summary>Binds that failed in transport or with a status other than 200.</summary>
    public int Failed { get; private set; }

    /// <summary>The first refusal's or failure's text.</summary>
    public string? FirstProblem { get; private set; }

    /// <summary>Hands a pod over to bind.</summary>
    /// <param name="request">The pod and its host.</param>
    public void Enqueue(BindRequest request) => _queue.Writer.TryWrite(request);

    /// <summary>Binds what is queued, then stops.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _worker.ConfigureAwait(false);
        _connection.Dispose();
    }

    private async Task RunAsync()
    {
        var body = new StringBuilder();
        await foreach (var request in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            _before?.Invoke(request);
            body.Clear()
                .Append("{\"PodName\":\"").Append(CycleClient.PodName(request.Id))
                .Append("\",\"PodNamespace\":\"").Append(CycleClient.Namespace)
                .Append("\",\"PodUID\":\"").Append(CycleClient.PodUid(request.Id))
                .Append("\",\"Node\":\"").Append(request.Node).Append("\"}");
            bool bound;
            try
            {
                await _connection.PostAsync(_bind, Encoding.UTF8.GetBytes(body.ToString()), CancellationToken.None).ConfigureAwait(false);
                var error = ErrorOf(_connection.Answer);
                bound = string.IsNullOrEmpty(error);
                if (bound)
                {
                    Bound++;
                }
                else
                {
                    Refused++;
                    FirstProblem ??= "refused: " + error;
                }
            }
            catch (Exception e) when (e is CycleException or HttpRequestException or TaskCanceledException or JsonException)
            {
                bound = false;
                Failed++;
                FirstProblem ??= "failed: " + e.Message;
            }

            _after?.Invoke(request, bound);
        }
    }

    private static string? ErrorOf(ReadOnlySpan<byte> answer)
    {
        var reader = new Utf8JsonReader(answer);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("Error"u8))
            {
                reader.Read();
                return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
        }

        return null;
    }
}
