using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Prediction;

namespace Lepton.Models.Tests.Testing;

/// <summary>Pods and finished jobs for the duration predictor's tests.</summary>
internal static class Jobs
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    public static PodDemand Pod(string name, long cpuMilli = 4000, int gpus = 1, int milli = 1000, string qos = "LS") => new()
    {
        Uid = name,
        Name = name,
        CpuMilli = cpuMilli,
        MemoryBytes = 8L << 30,
        GpuCount = gpus,
        GpuMilli = milli,
        QosClass = qos,
    };

    /// <summary>A history of jobs of <paramref name="pod"/>'s shape that ran the given seconds, submitted an hour apart.</summary>
    public static JobHistory History(PodDemand pod, params double[] runSeconds)
    {
        var history = new JobHistory();
        for (var i = 0; i < runSeconds.Length; i++)
        {
            var submitted = T0.AddHours(i);
            history.Add(new FinishedJob(pod with { Uid = $"{pod.Name}-{i}", Name = $"{pod.Name}-{i}" }, submitted, T0.AddHours(i + 1), runSeconds[i]));
        }

        return history;
    }
}
