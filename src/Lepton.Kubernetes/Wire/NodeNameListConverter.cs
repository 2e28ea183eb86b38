using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Lepton.Scheduling.State;

namespace Lepton.Kubernetes.Wire;

/// <summary>
/// Reads <c>NodeNames</c> into a <see cref="ResolvedNodeNames"/>: exact-size arrays, no per-name
/// strings for known nodes (the node table's own strings) nor, through the interner, for names
/// seen before; each known name's slot found in the same lookup. Writes a plain JSON array.
/// More than <c>maxNames</c> names are refused as they are read (<see cref="RequestLimitExceededException"/>).
/// </summary>
internal sealed class NodeNameListConverter(NodeNameInterner interner, Func<NodeTable?>? tables = null, int maxNames = int.MaxValue) : JsonConverter<IList<string>>
{
    private const int MaxStackName = 256;
    private const int InitialCapacity = 8192;

    public override IList<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("NodeNames: expected an array of strings or null");
        }

        var table = tables?.Invoke();
        // Pooled scratch as large as a big cluster's request, so that it rarely has to grow.
        var names = ArrayPool<string>.Shared.Rent(InitialCapacity);
        var slots = ArrayPool<int>.Shared.Rent(InitialCapacity);
        var count = 0;
        try
        {
            Span<char> chars = stackalloc char[MaxStackName];
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.String)
                {
                    throw new JsonException($"NodeNames[{count}]: expected a string");
                }

                if (count == maxNames)
                {
                    throw RequestLimitExceededException.For("NodeNames", maxNames, "node names");
                }

                string name;
                var slot = -1;
                if (!reader.ValueIsEscaped && !reader.HasValueSequence && reader.ValueSpan.Length <= MaxStackName)
                {
                    if (table is not null && table.TryResolveUtf8(reader.ValueSpan, out var key, out slot))
                    {
                        name = key!;
                    }
                    else
                    {
                        var n = Encoding.UTF8.GetChars(reader.ValueSpan, chars);
                        name = interner.Intern(chars[..n]);
                    }
                }
                else
                {
                    name = reader.GetString()!;
                    table?.TryResolve(name, out slot);
                }

                if (count == names.Length)
                {
                    Grow(ref names, count);
                    Grow(ref slots, count);
                }

                names[count] = name;
                slots[count] = slot;
                count++;
            }

            return new ResolvedNodeNames(names.AsSpan(0, count).ToArray(), slots.AsSpan(0, count).ToArray(), table);
        }
        finally
        {
            ArrayPool<string>.Shared.Return(names, clearArray: true);
            ArrayPool<int>.Shared.Return(slots);
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

    private static void Grow<T>(ref T[] buffer, int count)
    {
        var bigger = ArrayPool<T>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, count).CopyTo(bigger);
        ArrayPool<T>.Shared.Return(buffer, clearArray: System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        buffer = bigger;
    }
}
