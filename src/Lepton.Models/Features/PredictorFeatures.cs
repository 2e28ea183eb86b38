using System.Collections.Immutable;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Prediction;

namespace Lepton.Models.Features;

/// <summary>
/// The duration predictor's input row (<c>lepton.predictor-features/v2</c>): everything known of a job when it is
/// submitted, each with a live source in both worlds (docs/MODELS.md, "Predictor features"):
/// <list type="bullet">
/// <item>the pod's own fields: requests and exact request shape, GPU model constraint, QoS, priority;</item>
/// <item>the submission time: hour of day and position in the week, UTC (the simulated clock in the timeline, the
/// API server's creation timestamp in the operator);</item>
/// <item>the <see cref="JobHistory"/> of jobs finished before the submission: the last <see cref="ShapeWindow"/> run
/// times of the same <see cref="JobShape"/> (count, median, mean, spread, latest, how long ago) and of the same
/// class (GPU count, sharing, QoS) among the recent jobs, and the median of the last <see cref="RecentWindow"/> jobs
/// of any shape.</item>
/// </list>
/// Log run times are natural logarithms of seconds; where a history is empty its statistics take the overall recent
/// median (or <see cref="DefaultLogSeconds"/> before anything has finished) and a <c>missing</c> flag is set.
/// Rows match the trainer's when the history keeps at least <see cref="JobHistory"/>'s default bounds (64 jobs per
/// shape, 4,096 overall): the class and burst columns read the whole overall window.
/// </summary>
public static class PredictorFeatures
{
    /// <summary>The schema version.</summary>
    public const string Version = "lepton.predictor-features/v2";

    /// <summary>How many of a shape's (or class's) most recent finished jobs the history statistics read.</summary>
    public const int ShapeWindow = 16;

    /// <summary>How many of the most recent finished jobs of any shape the overall median reads.</summary>
    public const int RecentWindow = 256;

    /// <summary>The log run time assumed before any job has finished: ln(600 s), about openb's median lifetime.</summary>
    public static readonly double DefaultLogSeconds = Math.Log(600);

    /// <summary>
    /// The instant a trace's second 0 maps to when trace times become submission times (the Unix epoch, a Thursday
    /// 00:00 UTC). openb does not say when its trace began, so its hour and weekday are relative to this choice;
    /// the timeline and the trainer use the same one, so they agree.
    /// </summary>
    public static readonly DateTimeOffset TraceEpoch = DateTimeOffset.UnixEpoch;

    /// <summary>The feature names, in column order.</summary>
    public static ImmutableArray<string> Names { get; } =
    [
        "job.log_cpu", "job.log_memory", "job.gpu_milli", "job.gpu_count", "job.is_sharing", "job.is_cpu_only",
        "job.model_constraints", "job.qos_guaranteed", "job.qos_burstable", "job.qos_best_effort", "job.priority",
        "time.hour_sin", "time.hour_cos", "time.week_sin", "time.week_cos",
        "shape.count", "shape.median_log", "shape.mean_log", "shape.std_log", "shape.last_log", "shape.recency", "shape.missing",
        "class.count", "class.median_log", "class.missing",
        "recent.median_log",
        "burst.submit_age", "burst.day_median_log", "burst.day_missing", "burst.hour_count", "burst.any_hour_count",
    ];

    /// <summary>The feature count.</summary>
    public static int Count => Names.Length;

    /// <summary>Writes one row.</summary>
    /// <param name="pod">The job's pod.</param>
    /// <param name="submittedAt">When it was submitted.</param>
    /// <param name="history">The jobs finished before <paramref name="submittedAt"/>.</param>
    /// <param name="row">At least <see cref="Count"/> floats.</param>
    public static void Write(PodDemand pod, DateTimeOffset submittedAt, JobHistory history, Span<float> row)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(history);
        var r = row[..Count];
        var qos = FeatureBuilder.QosOf(pod.QosClass);
        var mib = pod.MemoryBytes / (1024.0 * 1024.0);
        r[0] = (float)(Math.Log(1 + pod.CpuMilli) / 10);
        r[1] = (float)(Math.Log(1 + mib) / 12);
        r[2] = pod.NeedsGpu ? pod.GpuMilli / 1000f : 0f;
        r[3] = pod.NeedsGpu ? pod.GpuCount / 8f : 0f;
        r[4] = pod.IsSharing ? 1f : 0f;
        r[5] = pod.NeedsGpu ? 0f : 1f;
        r[6] = pod.GpuModels.IsDefaultOrEmpty ? 0f : pod.GpuModels.Length;
        r[7] = qos == 2 ? 1f : 0f;
        r[8] = qos == 1 ? 1f : 0f;
        r[9] = qos == 0 ? 1f : 0f;
        r[10] = (float)(Math.Sign(pod.Priority) * Math.Log(1 + Math.Abs((double)pod.Priority)) / 10);

        var utc = submittedAt.ToUniversalTime();
        var day = utc.TimeOfDay.TotalSeconds / 86400.0;
        var week = (((int)utc.DayOfWeek + 6) % 7 + day) / 7.0;
        r[11] = (float)Math.Sin(2 * Math.PI * day);
        r[12] = (float)Math.Cos(2 * Math.PI * day);
        r[13] = (float)Math.Sin(2 * Math.PI * week);
        r[14] = (float)Math.Cos(2 * Math.PI * week);

        Span<double> logs = stackalloc double[Math.Max(ShapeWindow, 1)];
        var recent = RecentMedian(history);
        var shape = history.OfShape(JobShape.Of(pod));
        var n = Last(shape, logs, out var lastFinished);
        if (n == 0)
        {
            r[15] = 0f;
            r[16] = r[17] = r[19] = (float)(recent / 10);
            r[18] = 0f;
            r[20] = 1f;
            r[21] = 1f;
        }
        else
        {
            var window = logs[..n];
            double sum = 0, sq = 0;
            foreach (var v in window)
            {
                sum += v;
            }

            var mean = sum / n;
            foreach (var v in window)
            {
                sq += (v - mean) * (v - mean);
            }

            r[15] = (float)(Math.Log(1 + n) / Math.Log(1 + ShapeWindow));
            r[17] = (float)(mean / 10);
            r[18] = (float)(n > 1 ? Math.Sqrt(sq / (n - 1)) / 3 : 0);
            r[19] = (float)(window[n - 1] / 10);
            r[16] = (float)(Median(window) / 10);
            var ago = Math.Max(0, (submittedAt - lastFinished).TotalSeconds);
            r[20] = (float)Math.Min(1, Math.Log(1 + ago) / 15);
            r[21] = 0f;
        }

        var classCount = LastOfClass(history, pod, logs);
        if (classCount == 0)
        {
            r[22] = 0f;
            r[23] = (float)(recent / 10);
            r[24] = 1f;
        }
        else
        {
            r[22] = (float)(Math.Log(1 + classCount) / Math.Log(1 + ShapeWindow));
            r[23] = (float)(Median(logs[..classCount]) / 10);
            r[24] = 0f;
        }

        r[25] = (float)(recent / 10);
        WriteBurst(shape, submittedAt, history, recent, r[26..]);
    }

    /// <summary>The log run time a job's record contributes (ln seconds, at least ln 1).</summary>
    /// <param name="job">The finished job.</param>
    /// <returns>ln(max(1, run seconds)).</returns>
    public static double LogSeconds(FinishedJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return Math.Log(Math.Max(1, job.RunSeconds));
    }

    /// <summary>The median log run time of the last <see cref="RecentWindow"/> finished jobs, or <see cref="DefaultLogSeconds"/>.</summary>
    /// <param name="history">The history.</param>
    /// <returns>ln seconds.</returns>
    public static double RecentMedian(JobHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var all = history.Recent;
        var take = Math.Min(all.Count, RecentWindow);
        if (take == 0)
        {
            return DefaultLogSeconds;
        }

        var values = new double[take];
        var skip = all.Count - take;
        var i = 0;
        foreach (var job in all)
        {
            if (skip-- > 0)
            {
                continue;
            }

            values[i++] = LogSeconds(job);
        }

        return Median(values);
    }

    /// <summary>The median of a span of values (sorted in place).</summary>
    /// <param name="values">The values; reordered.</param>
    /// <returns>The median, or NaN when empty.</returns>
    public static double Median(Span<double> values)
    {
        if (values.IsEmpty)
        {
            return double.NaN;
        }

        values.Sort();
        var n = values.Length;
        return n % 2 == 1 ? values[n / 2] : (values[(n / 2) - 1] + values[n / 2]) / 2;
    }

    // Jobs submitted shortly before this one and already finished: pods of one burst tend to run alike, and a burst
    // whose first pods are done is a short one.
    private static void WriteBurst(IReadOnlyCollection<FinishedJob> shape, DateTimeOffset submittedAt, JobHistory history, double recent, Span<float> r)
    {
        var latest = DateTimeOffset.MinValue;
        var day = new List<double>();
        var hour = 0;
        foreach (var job in shape)
        {
            latest = job.SubmittedAt > latest ? job.SubmittedAt : latest;
            var age = (submittedAt - job.SubmittedAt).TotalSeconds;
            if (age <= 86400)
            {
                day.Add(LogSeconds(job));
                hour += age <= 3600 ? 1 : 0;
            }
        }

        r[0] = shape.Count == 0 ? 1f : (float)Math.Min(1, Math.Log(1 + Math.Max(0, (submittedAt - latest).TotalSeconds)) / 15);
        r[1] = (float)((day.Count == 0 ? recent : Median(day.ToArray())) / 10);
        r[2] = day.Count == 0 ? 1f : 0f;
        r[3] = (float)(Math.Log(1 + hour) / Math.Log(1 + ShapeWindow));
        var any = 0;
        foreach (var job in history.Recent)
        {
            any += (submittedAt - job.SubmittedAt).TotalSeconds <= 3600 ? 1 : 0;
        }

        r[4] = (float)(Math.Log(1 + any) / 8);
    }

    // The log run times of the last (at most ShapeWindow) jobs, oldest first, and when the latest finished.
    private static int Last(IReadOnlyCollection<FinishedJob> jobs, Span<double> logs, out DateTimeOffset lastFinished)
    {
        lastFinished = default;
        var take = Math.Min(jobs.Count, logs.Length);
        var skip = jobs.Count - take;
        var i = 0;
        foreach (var job in jobs)
        {
            if (skip-- > 0)
            {
                continue;
            }

            logs[i++] = LogSeconds(job);
            lastFinished = job.FinishedAt;
        }

        return take;
    }

    // The log run times of the last (at most logs.Length) recent jobs of the pod's class (GPU count, sharing, QoS).
    private static int LastOfClass(JobHistory history, PodDemand pod, Span<double> logs)
    {
        var all = history.Recent;
        var matches = new List<double>();
        foreach (var job in all)
        {
            if (SameClass(job.Pod, pod))
            {
                matches.Add(LogSeconds(job));
            }
        }

        var take = Math.Min(matches.Count, logs.Length);
        for (var i = 0; i < take; i++)
        {
            logs[i] = matches[matches.Count - take + i];
        }

        return take;
    }

    private static bool SameClass(PodDemand a, PodDemand b) =>
        a.GpuCount == b.GpuCount && a.IsSharing == b.IsSharing && a.NeedsGpu == b.NeedsGpu
        && FeatureBuilder.QosOf(a.QosClass) == FeatureBuilder.QosOf(b.QosClass);
}
