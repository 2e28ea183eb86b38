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
/// 400 with a one-line reason in the protocol's words (invalid UTF-8 and unpaired surrogate
/// escapes included, by byte offset), oversized ones and ones with more nodes or victims than the
/// limits 413, slow ones 408; anything unexpected gets the verb's safe answer with 200
/// (DECISIONS.md 6). Never 500. <c>ProcessAsync</c> is the same path without HTTP (benchmarks, tests).
/// </summary>
/// <remarks>
/// <para><b>The deadline.</b> <see cref="ExtenderOptions.RequestTimeout"/> runs on the injected
/// <see cref="TimeProvider"/> from the moment the request arrives. It bounds the body read (408),
/// and the verb's work is cancelled at it: checked between parsing and the verb's work, and passed
/// to bind's API call. A request whose work is cut off gets the verb's degraded answer, HTTP 200:
/// filter and bind <c>Error</c>, prioritize all 0 (counted as the <c>deadline</c> scoring
/// fallback), preempt its candidate map unchanged.</para>
/// <para><b>The write.</b> The answer is written with the connection's own token
/// (<see cref="HttpContext.RequestAborted"/>), never the deadline's: a request that used up its
/// deadline still gets its whole answer, not an empty 500.</para>
/// <para><b>Logs.</b> A refused request (400, 408, 413) is one Information line of at most a few
/// hundred characters, counted in <c>lepton_extender_rejected_requests_total</c>; nothing it
/// carried beyond that is logged.</para>
/// </remarks>
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
        _options = options.Value;
        _json = ExtenderJsonContext.CreateInterning(extender.State, _options.MaxNodeNames);
        _metrics = metrics;
        _time = time;
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
            // The deadline cancels the pending read (CancelPendingRead), not the ReadAsync call: a read
            // cancelled through its token leaves Kestrel's body reader mid-read, and its drain after
            // the 408 then fails with "Reading is already in progress" (found by ExtenderFuzzTests).
            using var cancelRead = ct.UnsafeRegister(static state => ((PipeReader)state!).CancelPendingRead(), reader);
            while (true)
            {
                read = await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false);
                if (read.Buffer.Length > max)
                {
                    reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                    await WriteAsync(context, verb, TooLarge(verb, start), CancellationToken.None).ConfigureAwait(false);
                    return;
                }

                if (read.IsCanceled)
                {
                    reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                    if (!timeout.IsCancellationRequested || context.RequestAborted.IsCancellationRequested)
                    {
                        return; // The client went away; there is nobody to answer.
                    }

                    // The rest of the body is not worth draining from a client this slow.
                    context.Response.Headers.Connection = "close";
                    var reply = Reject(verb, 408, "timeout", $"request body not received within {_options.RequestTimeout.TotalSeconds:0.###} s", start);
                    await WriteAsync(context, verb, reply, CancellationToken.None).ConfigureAwait(false);
                    return;
                }

                if (read.IsCompleted)
                {
                    break;
                }

                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            }
        }
        catch (BadHttpRequestException e)
        {
            var reply = e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLarge(verb, start)
                : Reject(verb, e.StatusCode is >= 400 and < 500 ? e.StatusCode : 400, "bad_body", e.Message, start);
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

        // The deadline's token may have fired by now: the answer is written with the connection's own.
        await WriteAsync(context, verb, answer, context.RequestAborted).ConfigureAwait(false);
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
        return DegradedAnswer(verb, request, JsonErrorText.Bound($"Lepton internal error: {exception.GetType().Name}: {exception.Message}"));
    }

    /// <summary>
    /// The verb's degraded answer, HTTP 200 (DECISIONS.md 6): filter and bind <c>Error</c> =
    /// <paramref name="error"/>, prioritize every candidate of <paramref name="request"/> scored 0,
    /// preempt its candidate map unchanged.
    /// </summary>
    /// <param name="verb">The verb.</param>
    /// <param name="request">The parsed request, when parsing got that far.</param>
    /// <param name="error">What filter and bind say.</param>
    /// <returns>The reply.</returns>
    public static ExtenderReply DegradedAnswer(ExtenderVerb verb, object? request, string error)
    {
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
            // Parsing is bounded by the body and item limits; the deadline is checked after it, and the
            // verbs' passes over the nodes stop at it (CandidateScoring.CancellationStride).
            switch (verb)
            {
                case ExtenderVerb.Filter:
                    {
                        var args = Parse(body, _json.ExtenderArgs);
                        request = args;
                        ct.ThrowIfCancellationRequested();
                        var result = _extender.Filter(args, ct);
                        reply = ExtenderReply.Json(result, result.Error.Length == 0 ? ExtenderMetrics.ResultOk : ExtenderMetrics.ResultError);
                        break;
                    }

                case ExtenderVerb.Prioritize:
                    {
                        var args = Parse(body, _json.ExtenderArgs);
                        request = args;
                        ct.ThrowIfCancellationRequested();
                        reply = ExtenderReply.Json(_extender.PrioritizeScores(args, ct), ExtenderMetrics.ResultOk);
                        break;
                    }

                case ExtenderVerb.Bind:
                    {
                        var args = Parse(body, _json.ExtenderBindingArgs);
                        request = args;
                        ct.ThrowIfCancellationRequested();
                        var result = await _extender.BindAsync(args, ct).ConfigureAwait(false);
                        reply = ExtenderReply.Json(result, result.Error.Length == 0 ? ExtenderMetrics.ResultOk : ExtenderMetrics.ResultError);
                        break;
                    }

                case ExtenderVerb.Preempt:
                    {
                        var args = Parse(body, _json.ExtenderPreemptionArgs);
                        CheckLimits(args);
                        request = args;
                        ct.ThrowIfCancellationRequested();
                        reply = ExtenderReply.Json(_extender.Preempt(args, ct), ExtenderMetrics.ResultOk);
                        break;
                    }

                default:
                    throw new ArgumentOutOfRangeException(nameof(verb), verb, "Unknown verb.");
            }
        }
        catch (RequestLimitExceededException e)
        {
            return Reject(verb, 413, "too_many_items", e.Message, start);
        }
        catch (JsonException e)
        {
            return Reject(verb, 400, "bad_json", JsonErrorText.Describe(e), start);
        }
        catch (ExtenderRequestException e)
        {
            return Reject(verb, 400, "bad_request", e.Message, start);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            var seconds = _time.GetElapsedTime(start).TotalSeconds;
            LogDeadline(_logger, ExtenderMetrics.Label(verb), seconds);
            if (verb == ExtenderVerb.Prioritize)
            {
                _metrics.ScoringFallback("deadline");
            }

            reply = DegradedAnswer(verb, request, $"Lepton could not answer within the request deadline ({_options.RequestTimeout.TotalSeconds:0.###} s); retry");
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

    private void CheckLimits(ExtenderPreemptionArgs args)
    {
        var (field, map) = args.NodeNameToMetaVictims is { } meta
            ? ("NodeNameToMetaVictims", meta.Values.Select(v => v?.Pods?.Count ?? 0))
            : ("NodeNameToVictims", args.NodeNameToVictims?.Values.Select(v => v?.Pods?.Count ?? 0) ?? []);
        var nodes = (args.NodeNameToMetaVictims?.Count ?? 0) + (args.NodeNameToVictims?.Count ?? 0);
        if (nodes > _options.MaxNodeNames)
        {
            throw RequestLimitExceededException.For(field, _options.MaxNodeNames, "nodes");
        }

        long victims = 0;
        foreach (var count in map)
        {
            victims += count;
        }

        if (victims > _options.MaxVictims)
        {
            throw RequestLimitExceededException.For(field, _options.MaxVictims, "victims");
        }
    }

    private ExtenderReply TooLarge(ExtenderVerb verb, long start) =>
        Reject(verb, 413, "too_large", $"request body larger than {_options.MaxRequestBytes} bytes", start);

    private ExtenderReply Reject(ExtenderVerb verb, int status, string reason, string message, long start)
    {
        message = JsonErrorText.Bound(message);
        _metrics.Rejected(verb, reason);
        _metrics.RequestDone(verb, ExtenderMetrics.ResultRejected, _time.GetElapsedTime(start).TotalSeconds);
        LogRejected(_logger, ExtenderMetrics.Label(verb), status, reason, message);
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
}
