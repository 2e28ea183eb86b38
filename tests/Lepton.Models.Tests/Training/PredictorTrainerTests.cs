using System.Globalization;
using System.Text;
using Lepton.Models.Training;
using Lepton.Testing;

namespace Lepton.Models.Tests.Training;

public class PredictorTrainerTests
{
    [Fact]
    public void Train_LifetimeDependsOnCpuWithinClass_BeatsClassMedianAndIsDeterministic()
    {
        using var dir = new TempDirectory();
        var csv = new StringBuilder("name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n");
        var random = new Random(3);
        for (var i = 0; i < 400; i++)
        {
            var cpu = 1000 * (1 + random.Next(32));
            var life = (long)(60 * Math.Exp(cpu / 8000.0) * (0.9 + (0.2 * random.NextDouble())));
            var created = random.Next(1_000_000);
            csv.Append(CultureInfo.InvariantCulture, $"p{i:D4},{cpu},4096,1,1000,,LS,Running,{created},{created + life},{created}\n");
        }

        File.WriteAllText(Path.Combine(dir.Path, "openb_pod_list_default.csv"), csv.ToString());
        var options = new PredictorTrainingOptions { TracesDirectory = dir.Path, Epochs = 30 };

        var sut = PredictorTrainer.Train(options);
        var again = PredictorTrainer.Train(options);

        Assert.Equal(80, sut.HeldOutPods);
        Assert.True(sut.Model.MaeLog < sut.Baseline.MaeLog * 0.6, $"model {sut.Model.MaeLog}, baseline {sut.Baseline.MaeLog}");
        Assert.True(sut.Model.MedianRelativeError < sut.Baseline.MedianRelativeError);
        Assert.Equal(sut.Network.Layers[0].Weights, again.Network.Layers[0].Weights);
    }
}
