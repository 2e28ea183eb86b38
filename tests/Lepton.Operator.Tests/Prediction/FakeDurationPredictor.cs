using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Prediction;

namespace Lepton.Operator.Tests.Prediction;

/// <summary>A duration predictor that predicts a fixed duration (or cannot, or throws) and records what it was asked.</summary>
public sealed class FakeDurationPredictor(double? seconds, string version = "fake@1", bool throws = false) : IDurationPredictor
{
    private readonly List<(PodDemand Pod, DateTimeOffset SubmittedAt, long HistoryCount)> _calls = [];

    public string Version { get; } = version;

    public IReadOnlyList<(PodDemand Pod, DateTimeOffset SubmittedAt, long HistoryCount)> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    public bool TryPredict(PodDemand pod, DateTimeOffset submittedAt, JobHistory history, out DurationPrediction prediction)
    {
        lock (_calls)
        {
            _calls.Add((pod, submittedAt, history.Count));
        }

        if (throws)
        {
            throw new InvalidOperationException("the session is gone");
        }

        prediction = seconds is { } s ? new DurationPrediction(s, DurationSource.Predicted, Version) : default;
        return seconds is not null;
    }
}
