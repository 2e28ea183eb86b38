using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Lepton.Extender.Metrics;
using Lepton.Extender.Verbs;
using Lepton.Kubernetes.Wire;
using Lepton.Scheduling.Serving;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lepton.Extender.Http;

/// <summary>
/// Bytes in, bytes out for the four verbs: reads the body within the size limit and the
/// deadline, parses it, calls <see cref="LeptonExtender"/>, and writes the answer. Bad bodies get
/// 400 with a one-line reason, oversized ones 413, slow ones 408; anything unexpected gets the
/// verb's safe answer with 200 (DECISIONS.md 6). Never 500. <c>ProcessAsync</c> is the
/// same path without HTTP (benchmarks, tests).
/// </summary>
public sealed partial class ExtenderRequestHandler
{
    private readonly ExtenderJsonContext _json;

    private readonly LeptonExtender _extender;
    private readonly IServingGate _gate;
    private readonly ExtenderMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ExtenderOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the handler.</summary>
    /// <param name="extender">The verbs.</param>
    /// <param name="gate">Whether this replica serves the verbs now (DECISIONS.md 19).</param>
    /// <param name="metrics">The metrics.</param>
    /// <param name="time">The clock (durations, deadlines).</param>
    /// <param name="options">The extender options.</param>
    /// <param name="logger">The logger.</param>
    public ExtenderRequestHandler(LeptonExtender extender, IServingGate gate, ExtenderMetrics metrics, TimeProvider time, IOptions<ExtenderOptions> options, ILogger<ExtenderRequestHandler> logger)
    {
        ArgumentNullException.ThrowIfNull(extender);
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _extender = extender;
        _gate = gate;
        _json = ExtenderJsonContext.CreateInterning(extender.State);
        _metrics = metrics;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Handles one HTTP request for <paramref name="verb"/>.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <param name="verb">The verb.</param>
    /// <returns>A task that completes when the answer is written.</returns>
    public async Task HandleAsync(HttpContext context, ExtenderVerb verb)
    {
        ArgumentNullException.ThrowIfNull(context);
        var start = _time.GetTimestamp();
        if (!_gate.IsServing)
        {
            // DECISIONS.md 19: a standby replica never answers a verb. Closing the connection makes
            // kube-scheduler's retry open a new one, which the Service routes to the leader.
            context.Response.Headers.Connection = "close";
            await WriteAsync(context, verb, Standby(verb, _gate.Reason, start), CancellationToken.None).ConfigureAwait(false);
            return;
        }

        var max = _options.MaxRequestBytes;
        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (context.Request.ContentLength is { } length && length > max)
        {
            // Refuse without reading; let the server drain a body of up to twice the limit so
            // that the client reliably receives the 413 (beyond that the connection is closed).
            if (limit is { IsReadOnly: false })
            {
                limit.MaxRequestBodySize = length <= 2 * max ? length : max;
            }

            await WriteAsync(context, verb, TooLarge(verb, start), CancellationToken.None).ConfigureAwait(false);
            return;
        }

        if (limit is { IsReadOnly: false })
        {
            // With a known length the server enforces the limit; a chunked body is checked
            // below while it is read, and the server may drain up to twice the limit afterwards.
            limit.MaxRequestBodySize = context.Request.ContentLength is null ? 2 * max : max;
        }

        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, timeout.Token);
        var ct = linked.Token;
        var reader = context.Request.BodyReader;
        ReadResult read;
        try
        {
            while (true)
            {
                read = await reader.ReadAsync(ct).ConfigureAwait(false);
                if (read.Buffer.Length > max)
                {
                    reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                    await WriteAsync(context, verb, TooLarge(verb, start), CancellationToken.None).ConfigureAwait(false);
                    return;
                }

                if (read.IsCompleted || read.IsCanceled)
                {
                    break;
                }

                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            var reply = Reject(verb, 408, "timeout", $"request body not received within {_options.RequestTimeout.TotalSeconds:0.###} s", start);
            await WriteAsync(context, verb, reply, CancellationToken.None).ConfigureAwait(false);
            return;
        }
        catch (BadHttpRequestException e)
        {
            var reply = e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLarge(verb, start)
                : Reject(verb, e.StatusCode is >= 400 and < 500 ? e.StatusCode : 400, "bad_body", OneLine(e.Message), start);
            await WriteAsync(context, verb, reply, CancellationToken.None).ConfigureAwait(false);
            return;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client went away; there is nobody to answer.
            return;
        }

        ExtenderReply answer;
        try
        {
            answer = await ProcessAsync(verb, read.Buffer, start, ct).ConfigureAwait(false);
        }
        finally
        {
            reader.AdvanceTo(read.Buffer.End);
        }

        await WriteAsync(context, verb, answer, ct).ConfigureAwait(false);
    }

    /// <summary>Processes one request body without HTTP (a standby replica refuses it as over HTTP, without the connection to close).</summary>
    /// <param name="verb">The verb.</param>
    /// <param name="body">The request body (UTF-8 JSON).</param>
    /// <param name="cancellationToken">The request's deadline.</param>
    /// <returns>The reply.</returns>
    public ValueTask<ExtenderReply> ProcessAsync(ExtenderVerb verb, ReadOnlySequence<byte> body, CancellationToken cancellationToken = default)
    {
        var start = _time.GetTimestamp();
        return _gate.IsServing ? ProcessAsync(verb, body, start, cancellationToken) : ValueTask.FromResult(Standby(verb, _gate.Reason, start));
    }

    /// <summary>The answer for a request whose handling threw: the verb's safe answer, HTTP 200.</summary>
    /// <param name="verb">The verb.</param>
    /// <param name="request">The parsed request, when parsing got that far.</param>
    /// <param name="exception">What went wrong.</param>
    /// <returns>The reply.</returns>
    public static ExtenderReply SafeAnswer(ExtenderVerb verb, object? request, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var error = $"Lepton internal error: {exception.GetType().Name}: {OneLine(exception.Message)}";
        switch (verb)
        {
            case ExtenderVerb.Filter:
                return ExtenderReply.Json(new ExtenderFilterResult { Error = error }, ExtenderMetrics.ResultError);
            case ExtenderVerb.Prioritize:
                var zeros = new List<HostPriority>();
                if (request is ExtenderArgs args)
                {
                    try
                    {
                        foreach (var name in LeptonExtender.CandidateNames(args))
                        {
                            zeros.Add(new HostPriority { Host = name });
                        }
                    }
                    catch (ExtenderRequestException)
                    {
                        zeros.Clear();
                    }
                }

                return ExtenderReply.Json(zeros, ExtenderMetrics.ResultError);
            case ExtenderVerb.Bind:
                return ExtenderReply.Json(new ExtenderBindingResult { Error = error }, ExtenderMetrics.ResultError);
            default:
                Dictionary<string, MetaVictims>? unchanged = null;
                if (request is ExtenderPreemptionArgs preemption)
                {
                    try
                    {
                        unchanged = LeptonExtender.Unchanged(preemption);
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        unchanged = null;
                    }
                }

                return ExtenderReply.Json(new ExtenderPreemptionResult { NodeNameToMetaVictims = unchanged }, ExtenderMetrics.ResultError);
        }
    }

    /// <summary>Writes the verb's safe answer for an exception that escaped the handler (the global exception handler).</summary>
    /// <param name="context">The HTTP context.</param>
    /// <param name="verb">The verb.</param>
    /// <param name="exception">What went wrong.</param>
    /// <returns>A task that completes when written.</returns>
    public Task WriteSafeAnswerAsync(HttpContext context, ExtenderVerb verb, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(context);
        LogUnhandled(_logger, ExtenderMetrics.Label(verb), exception);
        _metrics.RequestDone(verb, ExtenderMetrics.ResultError, 0);
        return WriteCoreAsync(context, SafeAnswer(verb, null, exception), CancellationToken.None);
    }

    private async ValueTask<ExtenderReply> ProcessAsync(ExtenderVerb verb, ReadOnlySequence<byte> body, long start, CancellationToken ct)
    {
        object? request = null;
        ExtenderReply reply;
        try
        {
            switch (verb)
            {
                case ExtenderVerb.Filter:
                    {
                        var args = Parse(body, _json.ExtenderArgs);
                        request = args;
                        var result = _extender.Filter(args);
                        reply = ExtenderReply.Json(result, result.Error.Length == 0 ? ExtenderMetrics.ResultOk : ExtenderMetrics.ResultError);
                        break;
                    }

                case ExtenderVerb.Prioritize:
                    {
                        var args = Parse(body, _json.ExtenderArgs);
                        request = args;
                        reply = ExtenderReply.Json(_extender.PrioritizeScores(args), ExtenderMetrics.ResultOk);
                        break;
                    }

                case ExtenderVerb.Bind:
                    {
                        var args = Parse(body, _json.ExtenderBindingArgs);
                        request = args;
                        var result = await _extender.BindAsync(args, ct).ConfigureAwait(false);
                        reply = ExtenderReply.Json(result, result.Error.Length == 0 ? ExtenderMetrics.ResultOk : ExtenderMetrics.ResultError);
                        break;
                    }

                case ExtenderVerb.Preempt:
                    {
                        var args = Parse(body, _json.ExtenderPreemptionArgs);
                        request = args;
                        reply = ExtenderReply.Json(_extender.Preempt(args), ExtenderMetrics.ResultOk);
                        break;
                    }

                default:
                    throw new ArgumentOutOfRangeException(nameof(verb), verb, "Unknown verb.");
            }
        }
        catch (JsonException e)
        {
            return Reject(verb, 400, "bad_json", "invalid request JSON: " + OneLine(e.Message), start);
        }
        catch (ExtenderRequestException e)
        {
            return Reject(verb, 400, "bad_request", OneLine(e.Message), start);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogUnhandled(_logger, ExtenderMetrics.Label(verb), e);
            if (verb == ExtenderVerb.Prioritize)
            {
                _metrics.ScoringFallback("internal_error");
            }

            reply = SafeAnswer(verb, request, e);
        }

        _metrics.RequestDone(verb, reply.Result, _time.GetElapsedTime(start).TotalSeconds);
        return reply;
    }

    /// <summary>
    /// A standby replica's refusal, shaped so that kube-scheduler retries the pod (DECISIONS.md 19):
    /// filter and bind answer 200 with <c>Error</c> set (kube-scheduler fails the cycle and requeues
    /// the pod); prioritize and preempt, whose results carry no error field, answer 503.
    /// </summary>
    /// <param name="verb">The verb.</param>
    /// <param name="reason">Why this replica does not serve.</param>
    /// <returns>The reply.</returns>
    public static ExtenderReply StandbyReply(ExtenderVerb verb, string reason)
    {
        var error = "Lepton replica not serving kube-scheduler's calls (" + reason + "); retry reaches the leader";
        return verb switch
        {
            ExtenderVerb.Filter => ExtenderReply.Json(new ExtenderFilterResult { Error = error }, ExtenderMetrics.ResultRejected),
            ExtenderVerb.Bind => ExtenderReply.Json(new ExtenderBindingResult { Error = error }, ExtenderMetrics.ResultRejected),
            _ => ExtenderReply.Text(StatusCodes.Status503ServiceUnavailable, error, ExtenderMetrics.ResultRejected),
        };
    }

    private ExtenderReply Standby(ExtenderVerb verb, string reason, long start)
    {
        _metrics.Rejected(verb, "standby");
        _metrics.RequestDone(verb, ExtenderMetrics.ResultRejected, _time.GetElapsedTime(start).TotalSeconds);
        LogStandby(_logger, ExtenderMetrics.Label(verb), reason);
        return StandbyReply(verb, reason);
    }

    private static T Parse<T>(ReadOnlySequence<byte> body, JsonTypeInfo<T> info)
        where T : class =>
        ExtenderBody.Deserialize(body, info) ?? throw new ExtenderRequestException("The request body is JSON null.");

    private ExtenderReply TooLarge(ExtenderVerb verb, long start) =>
        Reject(verb, 413, "too_large", $"request body larger than {_options.MaxRequestBytes} bytes", start);

    private ExtenderReply Reject(ExtenderVerb verb, int status, string reason, string message, long start)
    {
        _metrics.Rejected(verb, reason);
        _metrics.RequestDone(verb, ExtenderMetrics.ResultRejected, _time.GetElapsedTime(start).TotalSeconds);
        LogRejected(_logger, ExtenderMetrics.Label(verb), status, message);
        return ExtenderReply.Text(status, message, ExtenderMetrics.ResultRejected);
    }

    private async Task WriteAsync(HttpContext context, ExtenderVerb verb, ExtenderReply reply, CancellationToken ct)
    {
        try
        {
            await WriteCoreAsync(context, reply, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client went away or the deadline passed while writing.
        }
        catch (Exception e) when (e is not OutOfMemoryException && !context.Response.HasStarted)
        {
            LogUnhandled(_logger, ExtenderMetrics.Label(verb), e);
            await WriteCoreAsync(context, SafeAnswer(verb, reply.Body, e), CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task WriteCoreAsync(HttpContext context, ExtenderReply reply, CancellationToken ct)
    {
        using var buffer = new PooledBufferWriter(16 * 1024);
        reply.WriteTo(buffer);
        var response = context.Response;
        response.StatusCode = reply.StatusCode;
        response.ContentType = reply.ContentType;
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, ct).ConfigureAwait(false);
    }

    private static string OneLine(string text)
    {
        var i = text.AsSpan().IndexOfAny('\r', '\n');
        return i < 0 ? text : text[..i];
    }
}
