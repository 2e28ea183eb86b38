using System.Globalization;
using System.Text;
using Lepton.Models.Training;
using Lepton.Testing;

namespace Lepton.Models.Tests.Training;

public class PredictorTrainerTests
{
    // 600 pods, one every 1,000 s; each has its own CPU request (so no two share a request shape and the class median
    // has nothing to go on) and runs about 60 s · e^(cpu / 8000); pod 250 runs 100,000 s, past the cut at 300,000 s.
    private static string Trace(int seed, int pods = 600)
    {
        var csv = new StringBuilder("name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n");
        var random = new Random(seed);
        for (var i = 0; i < pods; i++)
        {
            var cpu = 1000 + (i * 7919 % 600 * 50);
            var life = (long)(60 * Math.Exp(cpu / 8000.0) * (0.9 + (0.2 * random.NextDouble())));
            life = i == 250 ? 100_000 : life;
            var created = i * 1000L;
            csv.Append(CultureInfo.InvariantCulture, $"p{i:D4},{cpu},4096,1,1000,,LS,Running,{created},{created + life},{created}\n");
        }

        return csv.ToString();
    }

    [Fact]
    public void Train_TimeOrderedSplit_TrainsOnlyOnPodsFinishedBeforeTheCut()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "openb_pod_list_default.csv"), Trace(3));

        var sut = PredictorTrainer.Train(new PredictorTrainingOptions { TracesDirectory = dir.Path, Epochs = 5, EvaluationTraces = [], ArrivalCompressions = [] });

        Assert.Equal(300_000, sut.CutSeconds);
        Assert.Equal(300, sut.HeldOutPods);
        Assert.Equal(299, sut.TrainPods);
        Assert.Single(sut.Evaluations);
    }

    [Fact]
    public void Train_LifetimeFollowsCpu_RanksBetterThanClassMedianAndDeterministic()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "openb_pod_list_default.csv"), Trace(3));
        File.WriteAllText(Path.Combine(dir.Path, "openb_pod_list_gpushare40.csv"), Trace(4));
        var options = new PredictorTrainingOptions { TracesDirectory = dir.Path, Epochs = 300, EvaluationTraces = ["gpushare40", "cpu050"], ArrivalCompressions = [10] };

        var sut = PredictorTrainer.Train(options);
        var again = PredictorTrainer.Train(options);

        Assert.True(sut.Model.Spearman > 0.8, $"model {sut.Model.Spearman}");
        Assert.True(sut.Model.Spearman > sut.Baseline.Spearman + 0.3, $"model {sut.Model.Spearman}, baseline {sut.Baseline.Spearman}");
        Assert.True(sut.Model.MaeLog < sut.Baseline.MaeLog, $"model {sut.Model.MaeLog}, baseline {sut.Baseline.MaeLog}");
        Assert.Equal(3, sut.Model.Coverage.Length);
        Assert.Equal(["default", "default, arrivals ×10", "gpushare40"], sut.Evaluations.Select(e => e.Trace));
        Assert.Equal(sut.HeldOutPods, sut.Evaluations[1].Model.Pods);
        Assert.NotNull(sut.Evaluations[2].RequestOnly);
        Assert.Equal(sut.Network.Layers[0].Weights, again.Network.Layers[0].Weights);
    }
}
