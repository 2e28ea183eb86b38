using System.Buffers;
using System.Text;
using System.Text.Json;
using Lepton.Extender.Wire;

namespace Lepton.Extender.Http;

/// <summary>
/// Writes a prioritize answer (<c>[{"Host":"…","Score":n},…]</c>, the same bytes the
/// source-generated serializer writes) straight into the output: the hot path of a 5,000-node
/// request, where per-entry writer overhead dominates. Node names that need no JSON escaping
/// (every RFC 1123 name) are copied as bytes; others go through the standard encoder.
/// </summary>
internal static class HostPriorityWriter
{
    public static void Write(List<HostPriority> priorities, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(1);
        span[0] = (byte)'[';
        output.Advance(1);
        for (var i = 0; i < priorities.Count; i++)
        {
            var entry = priorities[i];
            var host = entry.Host ?? string.Empty;
            var plain = IsPlain(host);
            var encoded = plain ? default : JsonEncodedText.Encode(host).EncodedUtf8Bytes;
            var hostBytes = plain ? host.Length : encoded.Length;
            var size = hostBytes + 40;
            span = output.GetSpan(size);
            var at = 0;
            if (i > 0)
            {
                span[at++] = (byte)',';
            }

            "{\"Host\":\""u8.CopyTo(span[at..]);
            at += 9;
            if (plain)
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
            entry.Score.TryFormat(span[at..], out var written, default, System.Globalization.CultureInfo.InvariantCulture);
            at += written;
            span[at++] = (byte)'}';
            output.Advance(at);
        }

        span = output.GetSpan(1);
        span[0] = (byte)']';
        output.Advance(1);
    }

    private static bool IsPlain(string text)
    {
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or ':'))
            {
                return false;
            }
        }

        return true;
    }
}
