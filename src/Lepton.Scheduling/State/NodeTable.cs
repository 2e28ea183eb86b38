using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using Lepton.Scheduling.Scoring;

namespace Lepton.Scheduling.State;

/// <summary>
/// One published generation of <see cref="ClusterState"/>'s nodes: the name → slot index and the
/// slots, each holding its node's latest <see cref="NodeState"/>. Read without locking.
/// </summary>
/// <remarks>
/// <para>The extender resolves a request's node names to slots while it parses them (one hash
/// lookup per name, the one parsing needs anyway to reuse name strings), then fits and scores by
/// slot: no second lookup per node per verb. A slot index is only meaningful for the table that
/// resolved it; when nodes come or go <see cref="ClusterState"/> publishes a new table, and
/// callers holding an older one resolve by name again (<see cref="ClusterState.Table"/>).</para>
/// <para>For that hot path the table keeps, per slot and back to back, each name's UTF-8 bytes and
/// its <see cref="ScoreNormalization.NodeOrderKey"/>, so that parsing, tie-breaking and writing
/// the answer read contiguous memory instead of name strings scattered over the heap (a cache
/// miss each at 5,000 nodes). It is built on first use: tables published while nodes are being
/// added one by one are never asked and cost nothing extra.</para>
/// </remarks>
public sealed class NodeTable
{
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _byChars;
    private NameIndex? _names;

    internal NodeTable(Dictionary<string, int> index, NodeState[] slots, ClusterScale scale)
    {
        Index = index;
        Slots = slots;
        Scale = scale;
        _byChars = index.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The number of slots (nodes).</summary>
    public int Count => Slots.Length;

    /// <summary>The name → slot index.</summary>
    internal Dictionary<string, int> Index { get; }

    /// <summary>The slots; each element is replaced atomically when its node's accounting changes.</summary>
    internal NodeState[] Slots { get; }

    /// <summary>The cluster's normalisers when this table was published.</summary>
    internal ClusterScale Scale { get; }

    private NameIndex Names
    {
        get
        {
            var names = Volatile.Read(ref _names);
            if (names is null)
            {
                // Two threads may both build it; both results are equal and one is kept.
                names = new NameIndex(Index, Slots.Length);
                names = Interlocked.CompareExchange(ref _names, names, null) ?? names;
            }

            return names;
        }
    }

    /// <summary>The latest state of the node in <paramref name="slot"/>.</summary>
    /// <param name="slot">A slot index this table resolved.</param>
    /// <returns>The node's state.</returns>
    public NodeState StateAt(int slot) => Volatile.Read(ref Slots[slot]);

    /// <summary>The node name of <paramref name="slot"/> (the table's own string).</summary>
    /// <param name="slot">A slot index of this table.</param>
    /// <returns>The name.</returns>
    public string NameAt(int slot) => Names.Strings[slot];

    /// <summary><see cref="ScoreNormalization.NodeOrderKey"/> of the node in <paramref name="slot"/>, precomputed.</summary>
    /// <param name="slot">A slot index of this table.</param>
    /// <returns>The key.</returns>
    public ulong OrderKeyAt(int slot) => Names.OrderKeys[slot];

    /// <summary>
    /// The UTF-8 bytes of the name in <paramref name="slot"/> when they can be written into a
    /// JSON string as they are (no character needs escaping), else empty.
    /// </summary>
    /// <param name="slot">A slot index of this table.</param>
    /// <returns>The bytes, or empty.</returns>
    public ReadOnlySpan<byte> PlainUtf8NameAt(int slot) => Names.Plain(slot);

    /// <summary>Finds a node's slot by name.</summary>
    /// <param name="name">The node name.</param>
    /// <param name="slot">The slot index, or -1.</param>
    /// <returns>True when the node is in this table.</returns>
    public bool TryResolve(string name, out int slot)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Index.TryGetValue(name, out slot))
        {
            return true;
        }

        slot = -1;
        return false;
    }

    /// <summary>
    /// Finds a node's slot by the characters of its name, and hands back the table's own name
    /// string (so a caller parsing names allocates none for known nodes).
    /// </summary>
    /// <param name="name">The node name's characters.</param>
    /// <param name="key">The table's string for the name, or null.</param>
    /// <param name="slot">The slot index, or -1.</param>
    /// <returns>True when the node is in this table.</returns>
    public bool TryResolve(ReadOnlySpan<char> name, out string? key, out int slot)
    {
        if (_byChars.TryGetValue(name, out var actual, out slot))
        {
            key = actual;
            return true;
        }

        key = null;
        slot = -1;
        return false;
    }

    /// <summary>
    /// Finds a node's slot by the UTF-8 bytes of its name (as an unescaped JSON string holds
    /// them), and hands back the table's own name string.
    /// </summary>
    /// <param name="utf8Name">The node name's UTF-8 bytes.</param>
    /// <param name="key">The table's string for the name, or null.</param>
    /// <param name="slot">The slot index, or -1.</param>
    /// <returns>True when the node is in this table.</returns>
    public bool TryResolveUtf8(ReadOnlySpan<byte> utf8Name, out string? key, out int slot)
    {
        var names = Names;
        slot = names.Find(utf8Name);
        key = slot >= 0 ? names.Strings[slot] : null;
        return slot >= 0;
    }

    /// <summary>The per-slot name data, built once per table.</summary>
    private sealed class NameIndex
    {
        private static readonly SearchValues<byte> NeedsNoEscape =
            SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._:"u8);

        private readonly byte[] _utf8;
        private readonly int[] _start;
        private readonly bool[] _plain;
        private readonly long[] _buckets;

        public NameIndex(Dictionary<string, int> index, int count)
        {
            Strings = new string[count];
            foreach (var (name, slot) in index)
            {
                Strings[slot] = name;
            }

            OrderKeys = new ulong[count];
            _start = new int[count + 1];
            _plain = new bool[count];
            var total = 0;
            for (var i = 0; i < count; i++)
            {
                _start[i] = total;
                total += Encoding.UTF8.GetByteCount(Strings[i]);
                OrderKeys[i] = ScoreNormalization.NodeOrderKey(Strings[i]);
            }

            _start[count] = total;
            _utf8 = new byte[total];

            // Open addressing, load factor at most one half: (hash << 32) | (slot + 1), 0 = empty.
            _buckets = new long[Math.Max(4, (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, count * 2)))];
            var mask = _buckets.Length - 1;
            for (var i = 0; i < count; i++)
            {
                var bytes = _utf8.AsSpan(_start[i], _start[i + 1] - _start[i]);
                Encoding.UTF8.GetBytes(Strings[i], bytes);
                _plain[i] = !bytes.ContainsAnyExcept(NeedsNoEscape);
                var hash = Hash(bytes);
                var b = (int)hash & mask;
                while (_buckets[b] != 0)
                {
                    b = (b + 1) & mask;
                }

                _buckets[b] = ((long)hash << 32) | (uint)(i + 1);
            }
        }

        public string[] Strings { get; }

        public ulong[] OrderKeys { get; }

        public ReadOnlySpan<byte> Plain(int slot) => _plain[slot] ? _utf8.AsSpan(_start[slot], _start[slot + 1] - _start[slot]) : default;

        public int Find(ReadOnlySpan<byte> utf8Name)
        {
            var hash = Hash(utf8Name);
            var buckets = _buckets;
            var mask = buckets.Length - 1;
            for (var b = (int)hash & mask; ; b = (b + 1) & mask)
            {
                var entry = buckets[b];
                if (entry == 0)
                {
                    return -1;
                }

                if ((uint)(entry >> 32) == hash)
                {
                    var i = (int)(uint)entry - 1;
                    var start = _start[i];
                    if (utf8Name.SequenceEqual(_utf8.AsSpan(start, _start[i + 1] - start)))
                    {
                        return i;
                    }
                }
            }
        }

        /// <summary>
        /// A multiply-xor hash over 8-byte words (node names are 10-60 bytes: a byte-at-a-time
        /// hash was most of a lookup), folded to 32 bits. Not a defence against chosen collisions,
        /// which only cost probe steps.
        /// </summary>
        private static uint Hash(ReadOnlySpan<byte> bytes)
        {
            const ulong Prime = 0x9E3779B97F4A7C15UL;
            var h = (ulong)bytes.Length * Prime;
            while (bytes.Length >= 8)
            {
                h = BitOperations.RotateLeft((h ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes)) * Prime, 29);
                bytes = bytes[8..];
            }

            ulong tail = 0;
            for (var i = 0; i < bytes.Length; i++)
            {
                tail |= (ulong)bytes[i] << (8 * i);
            }

            h = (h ^ tail) * Prime;
            h ^= h >> 32;
            return (uint)h;
        }
    }
}
