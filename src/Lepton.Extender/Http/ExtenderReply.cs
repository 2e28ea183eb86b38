using System.Buffers;
using System.Text;
using System.Text.Json;
using Lepton.Kubernetes.Wire;

namespace Lepton.Extender.Http;

/// <summary>
/// An answer ready to write: an HTTP status and either a wire object (JSON) or a one-line
/// reason (text, for 4xx answers).
/// </summary>
public readonly struct ExtenderReply
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, SkipValidation = true };

    /// <summary>The bytes a passing node's name takes in a filter answer, at most for most names (<c>"name",</c>).</summary>
    private const int PassingNameBytes = 48;

    private readonly object? _json;
    private readonly string? _text;

    private ExtenderReply(int statusCode, string result, object? json, string? text)
    {
        StatusCode = statusCode;
        Result = result;
        _json = json;
        _text = text;
    }

    /// <summary>The HTTP status.</summary>
    public int StatusCode { get; }

    /// <summary>The metrics result label (<c>ok</c>, <c>error</c>, <c>rejected</c>).</summary>
    public string Result { get; }

    /// <summary>The response content type.</summary>
    public string ContentType => _text is null ? "application/json" : "text/plain; charset=utf-8";

    /// <summary>The wire object, or null for a text answer.</summary>
    public object? Body => _json;

    /// <summary>The one-line reason of a text answer, or null.</summary>
    public string? Reason => _text;

    /// <summary>A 200 answer with a wire object.</summary>
    /// <param name="body">An <see cref="ExtenderFilterResult"/>, a <see cref="HostScores"/> or <see cref="HostPriority"/> list, an <see cref="ExtenderBindingResult"/> or an <see cref="ExtenderPreemptionResult"/>.</param>
    /// <param name="result">The metrics result label.</param>
    /// <returns>The reply.</returns>
    public static ExtenderReply Json(object body, string result) => new(200, result, body, null);

    /// <summary>An error status with a one-line reason.</summary>
    /// <param name="statusCode">The status (400, 408, 413).</param>
    /// <param name="reason">The reason.</param>
    /// <param name="result">The metrics result label.</param>
    /// <returns>The reply.</returns>
    public static ExtenderReply Text(int statusCode, string reason, string result) => new(statusCode, result, null, reason);

    /// <summary>Writes the body.</summary>
    /// <param name="output">Where to write.</param>
    public void WriteTo(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_text is not null)
        {
            Encoding.UTF8.GetBytes(_text, output);
            Encoding.UTF8.GetBytes("\n", output);
            return;
        }

        if (_json is HostScores scores)
        {
            HostPriorityWriter.Write(scores, output);
            return;
        }

        if (_json is List<HostPriority> priorities)
        {
            HostPriorityWriter.Write(HostScores.From(priorities), output);
            return;
        }

        using var writer = new Utf8JsonWriter(output, WriterOptions);
        var context = ExtenderJsonContext.Default;
        switch (_json)
        {
            case ExtenderFilterResult filter:
                // Room for the whole answer at once (5,000 nodes with their reasons are a few hundred
                // KiB): a buffer that must grow grows once, while it is still empty, instead of
                // doubling and copying several times.
                output.GetSpan(1024 + ((filter.NodeNames?.Count ?? 0) * PassingNameBytes) + Pending(filter.FailedNodes) + Pending(filter.FailedAndUnresolvableNodes));
                JsonSerializer.Serialize(writer, filter, context.ExtenderFilterResult);
                break;
            case ExtenderBindingResult binding:
                JsonSerializer.Serialize(writer, binding, context.ExtenderBindingResult);
                break;
            case ExtenderPreemptionResult preemption:
                JsonSerializer.Serialize(writer, preemption, context.ExtenderPreemptionResult);
                break;
            default:
                throw new InvalidOperationException($"Cannot write a {_json?.GetType().Name ?? "null"} reply.");
        }

        writer.Flush();
    }

    private static int Pending(IDictionary<string, string>? failures) => failures is FailedNodeMap map ? map.PendingBytes : 0;
}
