using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Lepton.Extender.Verbs;

namespace Lepton.Extender.Http;

/// <summary>
/// Deserialises a request body in one pass. <c>JsonSerializer.Deserialize(ref Utf8JsonReader)</c>
/// first walks the whole value to find where it ends, then parses it: two passes over a 65 KiB
/// 5,000-name body. A contiguous body is parsed as a span instead; a body spread over several
/// buffers (Kestrel's pipe segments) is copied into one pooled buffer first (a copy costs far
/// less than a second tokenising pass). Before parsing, the text is checked
/// (<see cref="RequestText.FindInvalid"/>): invalid UTF-8 or an unpaired surrogate escape is an
/// <see cref="ExtenderRequestException"/> naming the byte offset.
/// </summary>
public static class ExtenderBody
{
    /// <summary>Deserialises <paramref name="body"/>.</summary>
    /// <typeparam name="T">The wire type.</typeparam>
    /// <param name="body">The UTF-8 JSON body.</param>
    /// <param name="info">The type's source-generated metadata.</param>
    /// <returns>The object, or null for a JSON <c>null</c>.</returns>
    /// <exception cref="JsonException">The body is not valid JSON for <typeparamref name="T"/>.</exception>
    /// <exception cref="ExtenderRequestException">The body is not valid UTF-8 or escapes an unpaired surrogate.</exception>
    public static T? Deserialize<T>(ReadOnlySequence<byte> body, JsonTypeInfo<T> info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (body.IsSingleSegment)
        {
            return Parse(body.FirstSpan, info);
        }

        var length = checked((int)body.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            body.CopyTo(buffer);
            return Parse(buffer.AsSpan(0, length), info);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static T? Parse<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> info) =>
        RequestText.FindInvalid(json) is { } invalid ? throw new ExtenderRequestException(invalid) : JsonSerializer.Deserialize(json, info);
}
