using System.Buffers;
using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.State;

namespace Lepton.Kubernetes.Wire;

/// <summary>
/// A filter answer's <c>FailedNodes</c> (or <c>FailedAndUnresolvableNodes</c>): node name →
/// reason, in request order. It keeps each failure as the fit check's code and the node state it
/// was found on, and writes the readable reason straight into the JSON output
/// (<see cref="FitChecker.TryDescribe"/> at <see cref="Detail"/>): a 5,000-node answer then allocates no message strings
/// and no large dictionary. Reading it as a dictionary builds the messages once.
/// </summary>
public sealed class FailedNodeMap : IDictionary<string, string>, IReadOnlyDictionary<string, string>
{
    /// <summary>
    /// The reasons kube-scheduler is answered with: without per-node figures, so its <c>FailedScheduling</c> event
    /// counts nodes by reason instead of listing thousands of one-node texts (<see cref="FitReasonDetail.Summary"/>).
    /// </summary>
    public const FitReasonDetail Detail = FitReasonDetail.Summary;

    /// <summary>One past the largest <see cref="FitCode"/>: the size of the per-code reason cache.</summary>
    private static readonly int FitCodeCount = Enum.GetValues<FitCode>().Max(c => (int)c) + 1;

    /// <summary>The unknown node's reason, encoded once.</summary>
    private static readonly JsonEncodedText UnknownReason = JsonEncodedText.Encode(CandidateScoring.UnknownNodeMessage);

    private readonly PodDemand? _pod;
    private readonly int _slots;
    private readonly NodeTable? _table;
    /// <summary>Entries per chunk: 2,048 × 24 bytes stays below the large-object heap's 85,000-byte threshold.</summary>
    private const int ChunkSize = 2048;

    /// <summary>The first chunk's size when no capacity is given; it doubles up to <see cref="ChunkSize"/>.</summary>
    private const int FirstChunkSize = 16;

    private readonly List<Entry[]> _chunks = [];
    private readonly int _firstChunkSize;
    private int _count;
    private Dictionary<string, string>? _materialized;

    /// <summary>Creates an empty map for failures of <paramref name="pod"/>.</summary>
    /// <param name="pod">The pod the failures are about (null when only unknown nodes are added).</param>
    /// <param name="slots">The number of node table slots the added nodes' slot indices are below.</param>
    /// <param name="capacity">How many failures are expected (sizes the first chunk; more still fit).</param>
    public FailedNodeMap(PodDemand? pod, int slots = 0, int capacity = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slots);
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _pod = pod;
        _slots = slots;
        _firstChunkSize = capacity > 0 ? Math.Min(capacity, ChunkSize) : FirstChunkSize;
    }

    /// <summary>
    /// Creates an empty map for failures of <paramref name="pod"/> on nodes of <paramref name="table"/>:
    /// the answer copies each known node's name from the table's UTF-8 bytes.
    /// </summary>
    /// <param name="pod">The pod the failures are about.</param>
    /// <param name="table">The node table the added nodes' slots index (the candidates' table).</param>
    /// <param name="capacity">How many failures are expected (sizes the first chunk; more still fit).</param>
    public FailedNodeMap(PodDemand pod, NodeTable table, int capacity)
        : this(pod, (table ?? throw new ArgumentNullException(nameof(table))).Count, capacity)
    {
        ArgumentNullException.ThrowIfNull(pod);
        _table = table;
    }

    /// <inheritdoc cref="ICollection{T}.Count" />
    public int Count => Materialized.Count;

    /// <inheritdoc />
    public bool IsReadOnly => false;

    /// <summary>
    /// About the most bytes <see cref="WriteTo"/> writes for the failures recorded so far (a name
    /// and a reason are rarely more than 120 bytes together), without building the dictionary
    /// view: what the writer asks its output for up front. Zero once the dictionary view is built.
    /// </summary>
    internal int PendingBytes => _materialized is null ? _count * 120 : 0;

    /// <inheritdoc />
    public ICollection<string> Keys => Materialized.Keys;

    /// <inheritdoc />
    public ICollection<string> Values => Materialized.Values;

    IEnumerable<string> IReadOnlyDictionary<string, string>.Keys => Materialized.Keys;

    IEnumerable<string> IReadOnlyDictionary<string, string>.Values => Materialized.Values;

    private Dictionary<string, string> Materialized => _materialized ??= Materialize();

    /// <inheritdoc cref="IDictionary{TKey, TValue}.this" />
    public string this[string key]
    {
        get => Materialized[key];
        set => Materialized[key] = value;
    }

    /// <summary>Records that the pod does not fit <paramref name="node"/> for <paramref name="code"/>.</summary>
    /// <param name="name">The node name as the request gave it.</param>
    /// <param name="code">The fit check's reason.</param>
    /// <param name="node">The node state the check ran on.</param>
    /// <param name="slot">The node's slot in the node table (below the count given at creation).</param>
    public void Add(string name, FitCode code, NodeState node, int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, _slots);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(node);
        if (_pod is null)
        {
            throw new InvalidOperationException("A map created without a pod only takes unknown nodes.");
        }

        Append(new Entry(name, node, slot, code));
    }

    /// <summary>Records a node Lepton does not know (<see cref="CandidateScoring.UnknownNodeMessage"/>).</summary>
    /// <param name="name">The node name.</param>
    public void AddUnknown(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Append(new Entry(name, null, -1, FitCode.Fits));
    }

    /// <inheritdoc />
    public void Add(string key, string value) => Materialized.Add(key, value);

    /// <inheritdoc />
    public void Add(KeyValuePair<string, string> item) => Materialized.Add(item.Key, item.Value);

    /// <inheritdoc />
    public void Clear() => Materialized.Clear();

    /// <inheritdoc />
    public bool Contains(KeyValuePair<string, string> item) => ((ICollection<KeyValuePair<string, string>>)Materialized).Contains(item);

    /// <inheritdoc cref="IDictionary{TKey, TValue}.ContainsKey" />
    public bool ContainsKey(string key) => Materialized.ContainsKey(key);

    /// <inheritdoc />
    public void CopyTo(KeyValuePair<string, string>[] array, int arrayIndex) => ((ICollection<KeyValuePair<string, string>>)Materialized).CopyTo(array, arrayIndex);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => Materialized.GetEnumerator();

    /// <inheritdoc />
    public bool Remove(string key) => Materialized.Remove(key);

    /// <inheritdoc />
    public bool Remove(KeyValuePair<string, string> item) => ((ICollection<KeyValuePair<string, string>>)Materialized).Remove(item);

    /// <inheritdoc cref="IDictionary{TKey, TValue}.TryGetValue" />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value) => Materialized.TryGetValue(key, out value);

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// Writes the map as a JSON object, as one raw value: each node's name as the node table's
    /// UTF-8 bytes (when the map knows the table) and each reason formatted once per distinct
    /// text (<see cref="FitChecker.TryDescribe"/>, looked up by its characters) and encoded once,
    /// so a 5,000-node answer, whose reasons repeat, neither re-encodes nor re-escapes them. The
    /// bytes are what <see cref="Utf8JsonWriter.WriteString(string, ReadOnlySpan{char})"/> writes
    /// for each pair. A name given twice is written once (its first reason), as the dictionary
    /// view holds it.
    /// </summary>
    /// <param name="writer">The writer.</param>
    internal void WriteTo(Utf8JsonWriter writer)
    {
        if (_materialized is { } done)
        {
            FailedNodesJsonConverter.WritePairs(writer, done);
            return;
        }

        if (_count == 0)
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
            return;
        }

        // A name given twice is written once: known nodes are told apart by slot (a pooled bit
        // per slot), the rare unknown ones by name.
        var seenSlots = _slots > 0 ? ArrayPool<bool>.Shared.Rent(_slots) : [];
        Array.Clear(seenSlots, 0, Math.Min(_slots, seenSlots.Length));
        HashSet<string>? seenUnknown = null;
        var text = ArrayPool<char>.Shared.Rent(512);
        var output = ArrayPool<byte>.Shared.Rent(Math.Max(_count * 64, 1024));
        var at = 0;
        var reasons = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var byText = reasons.GetAlternateLookup<ReadOnlySpan<char>>();
        var byKey = new Dictionary<FitReasonKey, byte[]>();
        var byCode = new byte[]?[FitCodeCount];
        try
        {
            output[at++] = (byte)'{';
            for (var k = 0; k < _count; k++)
            {
                var e = _chunks[k / ChunkSize][k % ChunkSize];
                if (e.Slot >= 0)
                {
                    if (seenSlots[e.Slot])
                    {
                        continue;
                    }

                    seenSlots[e.Slot] = true;
                }
                else if (!(seenUnknown ??= new HashSet<string>(StringComparer.Ordinal)).Add(e.Name))
                {
                    continue;
                }

                ReadOnlySpan<byte> reason;
                if (e.Node is null)
                {
                    reason = UnknownReason.EncodedUtf8Bytes;
                }
                else if (FitChecker.IsPodOnlySummary(e.Code))
                {
                    reason = byCode[(int)e.Code] ??= Encode(e, ref text, byText);
                }
                else if (FitChecker.TryGetReasonKey(e.Code, _pod!, e.Node, Detail, out var key))
                {
                    if (!byKey.TryGetValue(key, out var encoded))
                    {
                        encoded = Encode(e, ref text, byText);
                        byKey[key] = encoded;
                    }

                    reason = encoded;
                }
                else
                {
                    reason = Encode(e, ref text, byText);
                }

                var plain = _table is not null && e.Slot >= 0 ? _table.PlainUtf8NameAt(e.Slot) : default;
                var name = plain.IsEmpty ? JsonEncodedText.Encode(e.Name).EncodedUtf8Bytes : plain;

                // ,"name":"reason"
                var need = name.Length + reason.Length + 6;
                if (output.Length - at < need + 1)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(output.Length * 2, at + need + 1));
                    output.AsSpan(0, at).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(output);
                    output = bigger;
                }

                if (at > 1)
                {
                    output[at++] = (byte)',';
                }

                output[at++] = (byte)'"';
                name.CopyTo(output.AsSpan(at));
                at += name.Length;
                "\":\""u8.CopyTo(output.AsSpan(at));
                at += 3;
                reason.CopyTo(output.AsSpan(at));
                at += reason.Length;
                output[at++] = (byte)'"';
            }

            output[at++] = (byte)'}';
            writer.WriteRawValue(output.AsSpan(0, at), skipInputValidation: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(output);
            ArrayPool<char>.Shared.Return(text);
            if (seenSlots.Length > 0)
            {
                ArrayPool<bool>.Shared.Return(seenSlots);
            }
        }
    }

    /// <summary>The UTF-8 JSON string content of a known node's reason, formatted into <paramref name="text"/> and encoded once per distinct text.</summary>
    private byte[] Encode(Entry e, ref char[] text, Dictionary<string, byte[]>.AlternateLookup<ReadOnlySpan<char>> byText)
    {
        int written;
        while (!FitChecker.TryDescribe(e.Code, _pod!, e.Node!, text, out written, Detail))
        {
            var bigger = ArrayPool<char>.Shared.Rent(text.Length * 4);
            ArrayPool<char>.Shared.Return(text);
            text = bigger;
        }

        var chars = text.AsSpan(0, written);
        if (!byText.TryGetValue(chars, out var encoded))
        {
            encoded = JsonEncodedText.Encode(chars).EncodedUtf8Bytes.ToArray();
            byText[chars] = encoded;
        }

        return encoded;
    }

    private void Append(Entry entry)
    {
        if (_materialized is not null)
        {
            _materialized.TryAdd(entry.Name, Message(entry));
            return;
        }

        // The first chunk has the expected size (small by default) and doubles up to ChunkSize,
        // so a request with a few failures does not pay for 2,048 entries (two maps per filter
        // call); later chunks are allocated whole.
        var chunk = _count / ChunkSize;
        var offset = _count % ChunkSize;
        if (chunk == _chunks.Count)
        {
            _chunks.Add(new Entry[chunk == 0 ? _firstChunkSize : ChunkSize]);
        }

        var entries = _chunks[chunk];
        if (offset == entries.Length)
        {
            Array.Resize(ref entries, Math.Min(entries.Length * 2, ChunkSize));
            _chunks[chunk] = entries;
        }

        entries[offset] = entry;
        _count++;
    }

    private Dictionary<string, string> Materialize()
    {
        var result = new Dictionary<string, string>(_count, StringComparer.Ordinal);
        for (var k = 0; k < _count; k++)
        {
            var e = _chunks[k / ChunkSize][k % ChunkSize];
            result.TryAdd(e.Name, Message(e));
        }

        _chunks.Clear();
        _count = 0;
        return result;
    }

    private string Message(Entry e) => e.Node is null ? CandidateScoring.UnknownNodeMessage : FitChecker.Describe(e.Code, _pod!, e.Node, Detail);

    /// <summary>One failure: a known node (its state, slot and the check's code) or an unknown one (slot -1).</summary>
    private readonly record struct Entry(string Name, NodeState? Node, int Slot, FitCode Code);
}
