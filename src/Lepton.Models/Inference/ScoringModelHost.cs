using System.Diagnostics;
using System.Security.Cryptography;
using Lepton.Models.Metrics;
using Lepton.Models.Onnx;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lepton.Models.Inference;

/// <summary>
/// Holds the model loaded from one file: one ONNX Runtime session, created once and shared by
/// every request, replaced atomically when the file changes (<see cref="CheckForChanges"/>,
/// driven by a <see cref="TimeProvider"/> timer from <see cref="StartPolling"/>). Requests in
/// flight finish on the session they started with; a replaced session is disposed when its last
/// request ends. When the file is missing or unusable, <see cref="Run"/> reports why and the
/// caller falls back to its heuristic.
/// <para>
/// A model that loads but produces NaN or infinite scores is unusable too: a new session first scores one
/// probe row (all features zero) and is refused if that is not finite; a loaded model whose last
/// <c>nanRunsUntilUnusable</c> inferences were all non-finite counts as not loaded (<c>lepton_model_loaded</c> 0)
/// until it scores finitely again.
/// </para>
/// <para>
/// Created with <c>loadNow: false</c> (what <c>AddLeptonModels</c> does), the host touches neither the file nor
/// ONNX Runtime (and so never probes the CUDA provider) until <see cref="EnsureLoaded"/> or the first
/// <see cref="Run"/>: a process serving another policy never creates a session.
/// </para>
/// </summary>
public sealed partial class ScoringModelHost : IScoringModel, IDisposable
{
    private readonly string _path;
    private readonly ExecutionProviderOption _provider;
    private readonly int _intraOpThreads;
    private readonly ModelMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _reloadGate = new();
    private Loaded? _current;
    private FileStamp _stamp;
    private volatile FallbackReason _failure = FallbackReason.Missing;
    private volatile string _failureMessage = "not loaded yet";
    private readonly int _nanRunsUntilUnusable;
    private bool _disposed;
    private volatile bool _checkedOnce;
    private int _nanRuns;
    private IDisposable? _polling;

    /// <summary>Creates the host and, unless <paramref name="loadNow"/> is false, loads the model once.</summary>
    /// <param name="path">The model file.</param>
    /// <param name="schema">What the model must look like.</param>
    /// <param name="provider">The execution provider option.</param>
    /// <param name="metrics">The metrics; a private set in the default registry when null.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="time">The clock for polling.</param>
    /// <param name="intraOpThreads">ONNX Runtime intra-op threads per inference.</param>
    /// <param name="loadNow">False to defer loading to <see cref="EnsureLoaded"/> or the first <see cref="Run"/>.</param>
    /// <param name="nanRunsUntilUnusable">After this many consecutive non-finite inferences the model counts as unusable.</param>
    public ScoringModelHost(string path, ModelSchema schema, ExecutionProviderOption provider = ExecutionProviderOption.Auto, ModelMetrics? metrics = null, ILogger<ScoringModelHost>? logger = null, TimeProvider? time = null, int intraOpThreads = 1, bool loadNow = true, int nanRunsUntilUnusable = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nanRunsUntilUnusable, 1);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(schema);
        _path = Path.GetFullPath(path);
        Schema = schema;
        _provider = provider;
        _intraOpThreads = intraOpThreads;
        _metrics = metrics ?? new ModelMetrics();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _nanRunsUntilUnusable = nanRunsUntilUnusable;
        if (loadNow)
        {
            CheckForChanges();
        }
    }

    /// <inheritdoc />
    public ModelSchema Schema { get; }

    /// <summary>The model file.</summary>
    public string ModelPath => _path;

    /// <inheritdoc />
    public string Provider => Volatile.Read(ref _current)?.Session.Provider ?? "none";

    /// <summary>Whether a model is loaded (a session exists, usable or not).</summary>
    public bool IsLoaded => Volatile.Read(ref _current) is not null;

    /// <summary>Whether a model is loaded and its recent inferences were not all NaN (what <c>lepton_model_loaded</c> shows).</summary>
    public bool IsUsable => IsLoaded && Volatile.Read(ref _nanRuns) < _nanRunsUntilUnusable;

    /// <summary>Whether a load was attempted (at construction, by <see cref="EnsureLoaded"/> or by a <see cref="Run"/>).</summary>
    public bool LoadAttempted => _checkedOnce;

    /// <summary>Why no model is loaded (<see cref="FallbackReason.None"/> when one is).</summary>
    public FallbackReason Failure => IsLoaded ? FallbackReason.None : _failure;

    /// <summary>A readable status line (for logs and readiness details).</summary>
    public string StatusMessage => !IsLoaded
        ? _failureMessage
        : IsUsable ? $"model {_path} loaded on {Provider}" : $"model {_path} loaded on {Provider} but its last {_nanRunsUntilUnusable} inferences produced NaN or infinite scores";

    /// <summary>The loaded bundle's metadata, or empty.</summary>
    public IReadOnlyDictionary<string, string> Metadata => Volatile.Read(ref _current)?.Session.Metadata ?? new Dictionary<string, string>();

    /// <summary>How many times a model was loaded (initially or by a reload).</summary>
    public int Generation { get; private set; }

    /// <inheritdoc />
    public FallbackReason Run(float[] features, int rows, float[] scores)
    {
        if (!_checkedOnce)
        {
            EnsureLoaded();
        }

        var lease = Acquire();
        if (lease is null)
        {
            return _failure is var f && f != FallbackReason.None ? f : FallbackReason.Missing;
        }

        try
        {
            var start = Stopwatch.GetTimestamp();
            lease.Session.Run(features, rows, scores);
            _metrics.Inference(Stopwatch.GetElapsedTime(start).TotalSeconds);
            return TrackFinite(lease, AllFinite(scores.AsSpan(0, Math.Min(scores.Length, rows * Schema.OutputWidth))));
        }
        catch (Exception e) when (e is Microsoft.ML.OnnxRuntime.OnnxRuntimeException or ArgumentException or InvalidOperationException)
        {
            LogInferenceFailed(_logger, _path, e.Message);
            return FallbackReason.InferenceError;
        }
        finally
        {
            lease.Release();
        }
    }

    /// <summary>Loads the model now if no load was attempted yet (idempotent, cheap afterwards).</summary>
    public void EnsureLoaded()
    {
        if (!_checkedOnce)
        {
            lock (_reloadGate)
            {
                if (!_checkedOnce)
                {
                    CheckForChanges();
                }
            }
        }
    }

    /// <summary>
    /// Loads the file when it changed since the last look (size, modification time, then content
    /// hash): a good file replaces the session atomically, a missing or bad one unloads the model
    /// so that scoring falls back. Safe to call concurrently with <see cref="Run"/>.
    /// </summary>
    /// <returns>True when the loaded model changed (loaded, replaced or unloaded).</returns>
    public bool CheckForChanges()
    {
        lock (_reloadGate)
        {
            if (_disposed)
            {
                return false;
            }

            var first = !_checkedOnce;
            _checkedOnce = true;
            var info = new FileInfo(_path);
            if (!info.Exists)
            {
                if (_stamp.Exists || first)
                {
                    _stamp = default;
                    Fail(FallbackReason.Missing, $"model file {_path} does not exist; scoring uses the heuristic");
                    return Swap(null);
                }

                return false;
            }

            var stamp = new FileStamp(true, info.Length, info.LastWriteTimeUtc.Ticks, null);
            if (_stamp.Exists && _stamp.Length == stamp.Length && _stamp.Ticks == stamp.Ticks)
            {
                return false;
            }

            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(_path);
            }
            catch (IOException e)
            {
                Fail(FallbackReason.LoadError, $"cannot read model file {_path}: {e.Message}");
                _stamp = stamp;
                return Swap(null);
            }

            var hash = Convert.ToHexString(SHA256.HashData(bytes));
            if (_stamp.Hash == hash)
            {
                _stamp = stamp with { Hash = hash };
                return false;
            }

            _stamp = stamp with { Hash = hash };
            try
            {
                var session = OnnxModelSession.Create(bytes, Schema, _provider, _intraOpThreads);
                if (session.CudaUnavailableReason is { } why)
                {
                    LogCudaUnavailable(_logger, why);
                }

                bool finite;
                try
                {
                    finite = ProbeIsFinite(session);
                }
                catch
                {
                    session.Dispose();
                    throw;
                }

                if (!finite)
                {
                    session.Dispose();
                    throw new ModelLoadException(FallbackReason.Nan, "the model scores a probe row (all features zero) as NaN or infinite; it is not used");
                }

                Generation++;
                _metrics.Reload(true);
                LogLoaded(_logger, _path, session.Provider, hash[..12]);
                return Swap(new Loaded(session));
            }
            catch (ModelLoadException e)
            {
                _metrics.Reload(false);
                Fail(e.Reason, $"model file {_path}: {e.Message}");
                return Swap(null);
            }
        }
    }

    /// <summary>
    /// Polls the file every <paramref name="interval"/> on the host's clock. A host created with <c>loadNow: false</c>
    /// starts looking only once a load was attempted (<see cref="EnsureLoaded"/>, <see cref="Run"/>).
    /// </summary>
    /// <param name="interval">The polling interval.</param>
    /// <returns>Stops the polling when disposed (so does disposing the host).</returns>
    public IDisposable StartPolling(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        var timer = _time.CreateTimer(_ => Poll(), null, interval, interval);
        lock (_reloadGate)
        {
            _polling?.Dispose();
            _polling = timer;
        }

        return timer;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_reloadGate)
        {
            _disposed = true;
            _polling?.Dispose();
            Interlocked.Exchange(ref _current, null)?.Release();
        }
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (var v in values)
        {
            if (!float.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    private bool ProbeIsFinite(OnnxModelSession session)
    {
        var scores = new float[Schema.OutputWidth];
        try
        {
            session.Run(new float[Schema.FeatureCount], 1, scores);
        }
        catch (Exception e) when (e is Microsoft.ML.OnnxRuntime.OnnxRuntimeException or ArgumentException or InvalidOperationException)
        {
            throw new ModelLoadException(FallbackReason.InferenceError, "the model fails on a probe row: " + e.Message.Split('\n')[0], e);
        }

        return AllFinite(scores);
    }

    /// <summary>Counts consecutive non-finite inferences of the current session; the metric follows usability.</summary>
    private FallbackReason TrackFinite(Loaded lease, bool finite)
    {
        if (finite)
        {
            if (Interlocked.Exchange(ref _nanRuns, 0) >= _nanRunsUntilUnusable && ReferenceEquals(Volatile.Read(ref _current), lease))
            {
                _metrics.SetProvider(lease.Session.Provider);
                LogUsableAgain(_logger, _path);
            }

            return FallbackReason.None;
        }

        if (Interlocked.Increment(ref _nanRuns) == _nanRunsUntilUnusable && ReferenceEquals(Volatile.Read(ref _current), lease))
        {
            _metrics.SetProvider(null);
            LogUnusable(_logger, _path, _nanRunsUntilUnusable);
        }

        return FallbackReason.Nan;
    }

    private void Poll()
    {
        if (!_checkedOnce)
        {
            return;
        }

        try
        {
            CheckForChanges();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogPollFailed(_logger, _path, e.Message);
        }
    }

    private void Fail(FallbackReason reason, string message)
    {
        _failure = reason;
        _failureMessage = message;
        LogUnavailable(_logger, reason.ToLabel(), message);
    }

    private bool Swap(Loaded? next)
    {
        var old = Interlocked.Exchange(ref _current, next);
        Volatile.Write(ref _nanRuns, 0);
        _metrics.SetProvider(next?.Session.Provider);
        if (next is not null)
        {
            _failure = FallbackReason.None;
        }

        old?.Release();
        return old is not null || next is not null;
    }

    private Loaded? Acquire()
    {
        while (true)
        {
            var current = Volatile.Read(ref _current);
            if (current is null)
            {
                return null;
            }

            if (current.TryAddRef())
            {
                return current;
            }
        }
    }

    private readonly record struct FileStamp(bool Exists, long Length, long Ticks, string? Hash);

    /// <summary>A session with a reference count: the host holds one, each request one.</summary>
    private sealed class Loaded(OnnxModelSession session)
    {
        private int _refs = 1;

        public OnnxModelSession Session { get; } = session;

        public bool TryAddRef()
        {
            while (true)
            {
                var r = Volatile.Read(ref _refs);
                if (r == 0)
                {
                    return false;
                }

                if (Interlocked.CompareExchange(ref _refs, r + 1, r) == r)
                {
                    return true;
                }
            }
        }

        public void Release()
        {
            if (Interlocked.Decrement(ref _refs) == 0)
            {
                Session.Dispose();
            }
        }
    }
}
