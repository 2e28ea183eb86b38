using System.Buffers;
using System.Buffers.Text;
using System.Text.Unicode;

namespace Lepton.Extender.Http;

/// <summary>
/// Checks that a request body is text every reader of it can trust: valid UTF-8, and no JSON
/// <c>\u</c> escape of an unpaired UTF-16 surrogate (<c>"\uD800"</c>). Both are refused with 400
/// before parsing, so nothing invalid reaches a verb, a log line or an echoed answer (filter's
/// <c>Nodes</c> mode writes the request's Node objects back byte for byte).
/// </summary>
/// <remarks>Both scans are vectorised (<see cref="Utf8.IsValid(ReadOnlySpan{byte})"/>, a search for <c>\</c>); a body without escapes costs one pass.</remarks>
public static class RequestText
{
    /// <summary>Finds the first invalid text in <paramref name="json"/>.</summary>
    /// <param name="json">The body.</param>
    /// <returns>A one-line reason naming the byte offset (never the bytes), or null when the text is valid.</returns>
    public static string? FindInvalid(ReadOnlySpan<byte> json)
    {
        if (!Utf8.IsValid(json))
        {
            return $"request body: invalid UTF-8 at byte {FirstInvalidUtf8(json)}";
        }

        var at = FirstLoneSurrogateEscape(json);
        return at < 0 ? null : $"request body: \\u escape of an unpaired UTF-16 surrogate at byte {at}";
    }

    private static long FirstInvalidUtf8(ReadOnlySpan<byte> json)
    {
        var chars = ArrayPool<char>.Shared.Rent(64 * 1024);
        try
        {
            long offset = 0;
            while (true)
            {
                var status = Utf8.ToUtf16(json, chars, out var read, out _, replaceInvalidSequences: false, isFinalBlock: true);
                if (status != OperationStatus.DestinationTooSmall)
                {
                    return offset + read;
                }

                offset += read;
                json = json[read..];
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static int FirstLoneSurrogateEscape(ReadOnlySpan<byte> json)
    {
        var i = 0;
        while (i < json.Length)
        {
            var k = json[i..].IndexOf((byte)'\\');
            if (k < 0)
            {
                return -1;
            }

            i += k;
            if (i + 1 >= json.Length || json[i + 1] != (byte)'u' || !TryHex4(json, i + 2, out var unit))
            {
                // Another escape (\\, \", \n…) or a malformed one, which the parser refuses.
                i += 2;
                continue;
            }

            if (unit is >= 0xD800 and <= 0xDBFF)
            {
                if (i + 11 < json.Length && json[i + 6] == (byte)'\\' && json[i + 7] == (byte)'u'
                    && TryHex4(json, i + 8, out var low) && low is >= 0xDC00 and <= 0xDFFF)
                {
                    i += 12;
                    continue;
                }

                return i;
            }

            if (unit is >= 0xDC00 and <= 0xDFFF)
            {
                return i;
            }

            i += 6;
        }

        return -1;
    }

    private static bool TryHex4(ReadOnlySpan<byte> json, int at, out int value)
    {
        if (at + 4 <= json.Length && Utf8Parser.TryParse(json.Slice(at, 4), out ushort unit, out var consumed, 'X') && consumed == 4)
        {
            value = unit;
            return true;
        }

        value = 0;
        return false;
    }
}
