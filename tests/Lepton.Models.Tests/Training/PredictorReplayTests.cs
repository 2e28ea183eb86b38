using Lepton.Models.Features;
using Lepton.Models.Tests.Testing;
using Lepton.Models.Training;
using Lepton.Simulator.Workloads;

namespace Lepton.Models.Tests.Training;

public class PredictorReplayTests
{
    [Fact]
    public void Run_EachSubmission_SeesOnlyPodsFinishedBeforeIt()
    {
        WorkloadPod[] pods =
        [
            new(Jobs.Pod("late"), 100, 400),
            new(Jobs.Pod("first"), 0, 50),
            new(Jobs.Pod("second"), 10, 100),
            new(Jobs.Pod("never"), 5, null),
            new(Jobs.Pod("third"), 60, 70),
        ];
        var sut = PredictorReplay.WithLifetimes(pods);
        var seen = new List<(string Pod, string[] Finished)>();

        PredictorReplay.Run(sut, (_, pod, history) => seen.Add((pod.Pod.Name, [.. history.Recent.Select(j => j.Pod.Name)])));

        Assert.Equal(["first", "second", "third", "late"], seen.Select(s => s.Pod));
        Assert.Empty(seen[0].Finished);
        Assert.Empty(seen[1].Finished);
        Assert.Equal(["first"], seen[2].Finished);

        // "second" finished at 100, the instant "late" was submitted: not before it.
        Assert.Equal(["first", "third"], seen[3].Finished);
    }

    [Fact]
    public void SubmittedAt_TraceSecond_OffsetFromTraceEpoch()
    {
        Assert.Equal(PredictorFeatures.TraceEpoch.AddSeconds(90), PredictorReplay.SubmittedAt(new WorkloadPod(Jobs.Pod("a"), 90, 100)));
    }
}
