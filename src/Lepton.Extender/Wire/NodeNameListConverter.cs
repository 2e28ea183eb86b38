using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lepton.Extender.Wire;

/// <summary>
/// Reads <c>NodeNames</c> into an exact-size array of interned strings (no per-name strings, no
/// list growth); writes a plain JSON array of strings.
/// </summary>
internal sealed class NodeNameListConverter(NodeNameInterner interner) : JsonConverter<IList<string>>
{
    private const int MaxStackName = 256;

    public override IList<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("NodeNames must be an array of strings.");
        }

        var buffer = ArrayPool<string>.Shared.Rent(1024);
        var count = 0;
        try
        {
            Span<char> chars = stackalloc char[MaxStackName];
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.String)
                {
                    throw new JsonException($"NodeNames[{count}] must be a string, not {reader.TokenType}.");
                }

                string name;
                if (!reader.ValueIsEscaped && !reader.HasValueSequence && reader.ValueSpan.Length <= MaxStackName)
                {
                    var n = Encoding.UTF8.GetChars(reader.ValueSpan, chars);
                    name = interner.Intern(chars[..n]);
                }
                else
                {
                    name = reader.GetString()!;
                }

                if (count == buffer.Length)
                {
                    var bigger = ArrayPool<string>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, count).CopyTo(bigger);
                    ArrayPool<string>.Shared.Return(buffer, clearArray: true);
                    buffer = bigger;
                }

                buffer[count++] = name;
            }

            return buffer.AsSpan(0, count).ToArray();
        }
        finally
        {
            ArrayPool<string>.Shared.Return(buffer, clearArray: true);
        }
    }

    public override void Write(Utf8JsonWriter writer, IList<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var name in value)
        {
            writer.WriteStringValue(name);
        }

        writer.WriteEndArray();
    }
}
