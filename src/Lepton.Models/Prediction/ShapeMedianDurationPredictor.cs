using Lepton.Models.Features;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Prediction;

namespace Lepton.Models.Prediction;

/// <summary>
/// The class-median baseline: the median run time of the last <see cref="PredictorFeatures.ShapeWindow"/> finished jobs
/// of exactly the pod's <see cref="JobShape"/>, or, when none of that shape has finished, the median of the last
/// <see cref="PredictorFeatures.RecentWindow"/> jobs of any shape (ln 600 s before anything has finished). Needs no
/// model and never fails. Thread-safe as far as the history it reads is.
/// </summary>
public sealed class ShapeMedianDurationPredictor : IDurationPredictor
{
    /// <summary>The version recorded with its predictions.</summary>
    public const string Name = "shape-median";

    /// <inheritdoc />
    public string Version => Name;

    /// <inheritdoc />
    public bool TryPredict(PodDemand pod, DateTimeOffset submittedAt, JobHistory history, out DurationPrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(history);
        var shape = history.OfShape(JobShape.Of(pod));
        double log;
        if (shape.Count == 0)
        {
            log = PredictorFeatures.RecentMedian(history);
        }
        else
        {
            var take = Math.Min(shape.Count, PredictorFeatures.ShapeWindow);
            var values = new double[take];
            var skip = shape.Count - take;
            var i = 0;
            foreach (var job in shape)
            {
                if (skip-- > 0)
                {
                    continue;
                }

                values[i++] = PredictorFeatures.LogSeconds(job);
            }

            log = PredictorFeatures.Median(values);
        }

        prediction = new DurationPrediction(Math.Exp(log), DurationSource.Predicted, Name);
        return true;
    }
}
