using System.Buffers;
using System.Text;
using System.Text.Json;
using Lepton.Kubernetes.Wire;

namespace Lepton.Extender.Http;

/// <summary>
/// Writes a prioritize answer (<c>[{"Host":"…","Score":n},…]</c>, the same bytes the
/// source-generated serializer writes for those entries) straight into the output: the hot path of a 5,000-node
/// request, where per-entry writer overhead dominates. Node names that need no JSON escaping
/// (every RFC 1123 name) are narrowed to bytes in place; others go through the standard encoder.
/// <para>
/// Only nodes with a score above 0 are written. kube-scheduler adds an extender's score to the nodes its answer
/// names and adds nothing to the others (<c>prioritizeNodes</c> in <c>schedule_one.go</c>), so an entry with score 0
/// changes nothing; under <c>StableRank</c> at most ten nodes score, and a 5,000-node answer shrinks from about
/// 170 KiB to under 1 KiB, which kube-scheduler no longer has to read either.
/// </para>
/// </summary>
internal static class HostPriorityWriter
{
    /// <summary>The characters of a name that can be copied as bytes (no JSON escaping, ASCII).</summary>
    private static readonly SearchValues<char> PlainChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._:");

    /// <summary>Bytes an entry needs beyond its name: <c>,{"Host":"</c>, <c>","Score":</c>, 20 digits, <c>}</c>.</summary>
    private const int EntryOverhead = 1 + 9 + 10 + 20 + 1;

    /// <summary>How many bytes are asked of the output at a time.</summary>
    private const int Chunk = 16 * 1024;

    public static void Write(HostScores priorities, IBufferWriter<byte> output)
    {
        var hosts = priorities.Hosts;
        var values = priorities.Scores;
        var table = priorities.Table;
        var slots = priorities.Slots;
        // Room for the whole answer at once (names are 10-60 bytes): a buffer that must grow
        // grows once, before anything is written into it, rather than doubling and copying.
        var scored = values.Length - values.AsSpan().Count(0L);
        var span = output.GetSpan(Math.Max(1024, scored * (EntryOverhead + 24)));
        var at = 0;
        span[at++] = (byte)'[';
        var first = true;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] == 0)
            {
                continue;
            }

            // A known node's name comes as bytes from the node table (contiguous, checked once);
            // other names are checked and narrowed or encoded here.
            var tableBytes = table is not null && slots![i] is var slot and >= 0 ? table.PlainUtf8NameAt(slot) : default;
            var host = tableBytes.IsEmpty ? hosts[i] ?? string.Empty : string.Empty;
            var plain = !tableBytes.IsEmpty || !host.AsSpan().ContainsAnyExcept(PlainChars);
            var encoded = plain ? default : JsonEncodedText.Encode(host).EncodedUtf8Bytes;
            var need = (!tableBytes.IsEmpty ? tableBytes.Length : plain ? host.Length : encoded.Length) + EntryOverhead + 1;
            if (span.Length - at < need)
            {
                output.Advance(at);
                span = output.GetSpan(Math.Max(need, Chunk));
                at = 0;
            }

            if (!first)
            {
                span[at++] = (byte)',';
            }

            first = false;

            "{\"Host\":\""u8.CopyTo(span[at..]);
            at += 9;
            if (!tableBytes.IsEmpty)
            {
                tableBytes.CopyTo(span[at..]);
                at += tableBytes.Length;
            }
            else if (plain)
            {
                at += Encoding.ASCII.GetBytes(host, span[at..]);
            }
            else
            {
                encoded.CopyTo(span[at..]);
                at += encoded.Length;
            }

            "\",\"Score\":"u8.CopyTo(span[at..]);
            at += 10;
            var score = values[i];
            if ((ulong)score <= 9)
            {
                span[at++] = (byte)('0' + score);
            }
            else
            {
                score.TryFormat(span[at..], out var written, default, System.Globalization.CultureInfo.InvariantCulture);
                at += written;
            }

            span[at++] = (byte)'}';
        }

        if (span.Length - at < 1)
        {
            output.Advance(at);
            span = output.GetSpan(1);
            at = 0;
        }

        span[at++] = (byte)']';
        output.Advance(at);
    }
}
