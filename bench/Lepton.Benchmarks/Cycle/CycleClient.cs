using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Lepton.Benchmarks.Extender;

namespace Lepton.Benchmarks.Cycle;

/// <summary>
/// kube-scheduler's scheduling cycle through an extender, on one keep-alive connection: POST
/// <c>/filter</c> with the pod and every node's name (<c>nodeCacheCapable</c>, NodeNames mode),
/// then <c>/prioritize</c> with filter's survivors only, skipped when exactly one survives (as
/// kube-scheduler skips scoring then); the host is the best score, the first on a tie. Every call
/// carries a distinct pod (UID and name patched in place), so no extender cache sees a pod twice.
/// </summary>
public sealed class CycleClient : IDisposable
{
    /// <summary>How many pod shapes there are (<see cref="SyntheticCluster.PodJson"/>).</summary>
    public const int Shapes = 6;

    /// <summary>The namespace of the cycle's pods.</summary>
    public const string Namespace = "inference";

    private const string UidPrefix = "00000000-0000-4000-8000-";
    private const string UidTemplate = UidPrefix + "000000000000";
    private const string NamePrefix = "bench-";

    private readonly ExtenderConnection _connection;
    private readonly Uri _filter;
    private readonly Uri _prioritize;
    private readonly byte[] _names;
    private readonly int _nodeCount;
    private readonly PodTemplate[] _pods;
    private readonly ArrayBufferWriter<byte> _body = new(256 * 1024);

    /// <summary>Creates the client.</summary>
    /// <param name="address">The extender's base address.</param>
    /// <param name="nodeNames">Every node's name (what kube-scheduler sends filter).</param>
    public CycleClient(Uri address, IReadOnlyList<string> nodeNames)
    {
        ArgumentNullException.ThrowIfNull(nodeNames);
        _connection = new ExtenderConnection(address);
        _filter = new Uri(address, "filter");
        _prioritize = new Uri(address, "prioritize");
        _names = Encoding.UTF8.GetBytes("\"" + string.Join("\",\"", nodeNames) + "\"");
        _nodeCount = nodeNames.Count;
        _pods = [.. Enumerable.Range(0, Shapes).Select(PodTemplate.Create)];
    }

    /// <summary>The pod's UID for an id.</summary>
    /// <param name="id">The pod's number.</param>
    /// <returns>The UID.</returns>
    public static string PodUid(long id) => UidPrefix + Hex(id);

    /// <summary>The pod's name for an id.</summary>
    /// <param name="id">The pod's number.</param>
    /// <returns>The name.</returns>
    public static string PodName(long id) => NamePrefix + Hex(id);

    /// <summary>The pod's JSON (as the cycle sends it) for an id.</summary>
    /// <param name="id">The pod's number.</param>
    /// <returns>The JSON.</returns>
    public static string PodJson(long id)
    {
        var template = PodTemplate.Create((int)(id % Shapes));
        template.Set(id);
        return Encoding.UTF8.GetString(template.Bytes);
    }

    /// <summary>Runs one cycle for pod <paramref name="id"/> (its shape is <c>id % 6</c>).</summary>
    /// <param name="id">The pod's number (distinct per cycle).</param>
    /// <param name="cancellationToken">Stops the cycle.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="CycleException">A call failed or answered what the request cannot have asked for.</exception>
    public async Task<CycleOutcome> RunAsync(long id, CancellationToken cancellationToken)
    {
        var shape = (int)(id % Shapes);
        var pod = _pods[shape];
        pod.Set(id);

        _body.ResetWrittenCount();
        WritePrefix(pod);
        _body.Write(_names);
        _body.Write("]}"u8);
        var start = Stopwatch.GetTimestamp();
        await _connection.PostAsync(_filter, _body.WrittenMemory, cancellationToken).ConfigureAwait(false);

        // The prioritize body is built while the filter answer is read: the survivors' names copied as they are.
        _body.ResetWrittenCount();
        WritePrefix(pod);
        var survivors = CopySurvivors(_connection.Answer, _body, out var first);
        var only = survivors == 1 ? first : null;
        var filterTicks = Stopwatch.GetTimestamp() - start;
        var answerBytes = _connection.Answer.Length;
        if (survivors > _nodeCount)
        {
            throw new CycleException($"filter: {survivors} survivors of {_nodeCount} nodes");
        }

        if (survivors <= 1)
        {
            return new CycleOutcome(id, shape, survivors, false, only, filterTicks, answerBytes);
        }

        _body.Write("]}"u8);
        await _connection.PostAsync(_prioritize, _body.WrittenMemory, cancellationToken).ConfigureAwait(false);
        // No scored host: kube-scheduler's own plugins decide; the first survivor stands in for them.
        var host = BestHost(_connection.Answer, survivors) ?? first;
        return new CycleOutcome(id, shape, survivors, true, host, filterTicks, answerBytes);
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    private static string Hex(long id) => id.ToString("x12", CultureInfo.InvariantCulture);

    // Reads filter's answer: NodeNames' names into the prioritize body, Error checked, the rest skipped.
    private static int CopySurvivors(ReadOnlySpan<byte> answer, ArrayBufferWriter<byte> body, out string? first)
    {
        first = null;
        var count = 0;
        var reader = new Utf8JsonReader(answer);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new CycleException("filter: the answer is not a JSON object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("NodeNames"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    body.Write(count == 0 ? "\""u8 : ",\""u8);
                    body.Write(reader.ValueSpan);
                    body.Write("\""u8);
                    if (count++ == 0)
                    {
                        first = reader.GetString();
                    }
                }
            }
            else if (reader.ValueTextEquals("Error"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0)
                {
                    throw new CycleException("filter: Error " + reader.GetString());
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return count;
    }

    // Reads prioritize's HostPriorityList: the best score's host, the first on a tie, or null when the answer names
    // none. An extender may leave out nodes it scores 0 (kube-scheduler adds nothing for them), never name more.
    private static string? BestHost(ReadOnlySpan<byte> answer, int expected)
    {
        var reader = new Utf8JsonReader(answer);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            throw new CycleException("prioritize: the answer is not a JSON array");
        }

        var count = 0;
        long best = long.MinValue;
        string? bestHost = null;
        var host = default(ReadOnlySpan<byte>);
        long score = 0;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    host = default;
                    score = 0;
                    break;
                case JsonTokenType.PropertyName when reader.ValueTextEquals("Host"u8):
                    reader.Read();
                    host = reader.ValueSpan;
                    break;
                case JsonTokenType.PropertyName when reader.ValueTextEquals("Score"u8):
                    reader.Read();
                    score = reader.GetInt64();
                    break;
                case JsonTokenType.PropertyName:
                    reader.Skip();
                    break;
                case JsonTokenType.EndObject:
                    count++;
                    if (score is < 0 or > 10)
                    {
                        throw new CycleException($"prioritize: score {score} outside 0..10");
                    }

                    if (score > best)
                    {
                        best = score;
                        bestHost = Encoding.UTF8.GetString(host);
                    }

                    break;
            }
        }

        if (count > expected)
        {
            throw new CycleException($"prioritize: {count} hosts scored for {expected} candidates");
        }

        return bestHost;
    }

    private void WritePrefix(PodTemplate pod)
    {
        _body.Write("{\"Pod\":"u8);
        _body.Write(pod.Bytes);
        _body.Write(",\"Nodes\":null,\"NodeNames\":["u8);
    }

    /// <summary>One shape's pod JSON, its UID and name patched in place per cycle.</summary>
    private sealed class PodTemplate
    {
        private readonly int _uidOffset;
        private readonly int _nameOffset;

        private PodTemplate(byte[] bytes, int uidOffset, int nameOffset)
        {
            Bytes = bytes;
            _uidOffset = uidOffset;
            _nameOffset = nameOffset;
        }

        public byte[] Bytes { get; }

        public static PodTemplate Create(int shape)
        {
            // PodJson names the pod after the UID's first 8 characters; here the name carries the 12 that vary.
            var json = SyntheticCluster.PodJson(shape, UidTemplate)
                .Replace("\"name\":\"" + NamePrefix + "00000000\"", "\"name\":\"" + NamePrefix + "000000000000\"", StringComparison.Ordinal);
            var bytes = Encoding.UTF8.GetBytes(json);
            var uid = Offset(bytes, "\"uid\":\"" + UidPrefix);
            var name = Offset(bytes, "\"name\":\"" + NamePrefix);
            return new PodTemplate(bytes, uid, name);
        }

        public void Set(long id)
        {
            Span<byte> hex = stackalloc byte[12];
            if (!id.TryFormat(hex, out var written, "x12", CultureInfo.InvariantCulture) || written != 12)
            {
                throw new ArgumentOutOfRangeException(nameof(id), id, "the pod number must fit 12 hex digits");
            }

            hex.CopyTo(Bytes.AsSpan(_uidOffset, 12));
            hex.CopyTo(Bytes.AsSpan(_nameOffset, 12));
        }

        private static int Offset(byte[] bytes, string marker)
        {
            var at = bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(marker));
            return at < 0 ? throw new InvalidOperationException("pod template without " + marker) : at + marker.Length;
        }
    }
}
