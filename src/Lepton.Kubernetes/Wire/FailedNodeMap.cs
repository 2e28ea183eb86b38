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
/// (<see cref="FitChecker.TryDescribe"/>): a 5,000-node answer then allocates no message strings
/// and no large dictionary. Reading it as a dictionary builds the messages once.
/// </summary>
public sealed class FailedNodeMap : IDictionary<string, string>, IReadOnlyDictionary<string, string>
{
    private readonly PodDemand? _pod;
    private readonly int _slots;
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

    /// <inheritdoc cref="ICollection{T}.Count" />
    public int Count => Materialized.Count;

    /// <inheritdoc />
    public bool IsReadOnly => false;

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
    /// Writes the map as a JSON object, formatting each reason into a reused buffer. A name given
    /// twice is written once (its first reason), as the dictionary view holds it.
    /// </summary>
    /// <param name="writer">The writer.</param>
    internal void WriteTo(Utf8JsonWriter writer)
    {
        if (_materialized is { } done)
        {
            FailedNodesJsonConverter.WritePairs(writer, done);
            return;
        }

        writer.WriteStartObject();
        if (_count == 0)
        {
            writer.WriteEndObject();
            return;
        }

        // A name given twice is written once: known nodes are told apart by slot (a pooled bit
        // per slot), the rare unknown ones by name.
        var seenSlots = _slots > 0 ? ArrayPool<bool>.Shared.Rent(_slots) : [];
        Array.Clear(seenSlots, 0, Math.Min(_slots, seenSlots.Length));
        HashSet<string>? seenUnknown = null;
        var buffer = ArrayPool<char>.Shared.Rent(512);
        try
        {
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

                if (e.Node is null)
                {
                    writer.WriteString(e.Name, CandidateScoring.UnknownNodeMessage);
                    continue;
                }

                int written;
                while (!FitChecker.TryDescribe(e.Code, _pod!, e.Node!, buffer, out written))
                {
                    var bigger = ArrayPool<char>.Shared.Rent(buffer.Length * 4);
                    ArrayPool<char>.Shared.Return(buffer);
                    buffer = bigger;
                }

                writer.WriteString(e.Name, buffer.AsSpan(0, written));
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
            if (seenSlots.Length > 0)
            {
                ArrayPool<bool>.Shared.Return(seenSlots);
            }
        }

        writer.WriteEndObject();
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

    private string Message(Entry e) => e.Node is null ? CandidateScoring.UnknownNodeMessage : FitChecker.Describe(e.Code, _pod!, e.Node);

    /// <summary>One failure: a known node (its state, slot and the check's code) or an unknown one (slot -1).</summary>
    private readonly record struct Entry(string Name, NodeState? Node, int Slot, FitCode Code);
}
