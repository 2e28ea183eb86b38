using System.Collections.Immutable;
using Lepton.Models.Features;
using Lepton.Scheduling.Inventory;

namespace Lepton.Models.Features;

/// <summary>
/// The lifetime predictor's input row (<c>lepton.predictor-features/v1</c>): what is known of a
/// job when it is submitted: its requests, GPU shape, model constraints, QoS and the time of day.
/// </summary>
public static class PredictorFeatures
{
    /// <summary>The schema version.</summary>
    public const string Version = "lepton.predictor-features/v1";

    /// <summary>The feature names, in column order.</summary>
    public static ImmutableArray<string> Names { get; } =
    [
        "job.cpu", "job.log_cpu", "job.memory", "job.log_memory", "job.gpu_milli", "job.gpu_count",
        "job.is_sharing", "job.is_cpu_only", "job.model_constraints", "job.qos_ls", "job.qos_burstable",
        "job.qos_be", "job.hour_sin", "job.hour_cos",
    ];

    /// <summary>The feature count.</summary>
    public static int Count => Names.Length;

    /// <summary>Writes one row.</summary>
    /// <param name="pod">The job's pod.</param>
    /// <param name="createdAtSeconds">Submission time in seconds (any epoch aligned to midnight), or null.</param>
    /// <param name="row">At least <see cref="Count"/> floats.</param>
    public static void Write(PodDemand pod, long? createdAtSeconds, Span<float> row)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var qos = FeatureBuilder.QosOf(pod.QosClass);
        var mib = pod.MemoryBytes / (1024.0 * 1024.0);
        row[0] = pod.CpuMilli / 64000f;
        row[1] = (float)(Math.Log(1 + pod.CpuMilli) / 10);
        row[2] = (float)(mib / 1024 / 512);
        row[3] = (float)(Math.Log(1 + mib) / 12);
        row[4] = pod.NeedsGpu ? pod.GpuMilli / 1000f : 0f;
        row[5] = pod.NeedsGpu ? pod.GpuCount / 8f : 0f;
        row[6] = pod.IsSharing ? 1f : 0f;
        row[7] = pod.NeedsGpu ? 0f : 1f;
        row[8] = pod.GpuModels.IsDefaultOrEmpty ? 0f : pod.GpuModels.Length;
        row[9] = qos == 2 ? 1f : 0f;
        row[10] = qos == 1 ? 1f : 0f;
        row[11] = qos == 0 ? 1f : 0f;
        if (createdAtSeconds is { } t)
        {
            var angle = 2 * Math.PI * (t % 86400) / 86400.0;
            row[12] = (float)Math.Sin(angle);
            row[13] = (float)Math.Cos(angle);
        }
        else
        {
            row[12] = 0f;
            row[13] = 0f;
        }
    }
}
