using Lepton.Models.Nn;

namespace Lepton.Models.Tests.Nn;

public class MlpGradientsTests
{
    [Fact]
    public void Backward_SmallNetwork_MatchesFiniteDifferences()
    {
        var net = new Mlp(5, 7, 4, 2);
        net.Initialize(11);
        foreach (var l in net.Layers)
        {
            for (var i = 0; i < l.Bias.Length; i++)
            {
                l.Bias[i] = 0.1f * (i + 1);
            }
        }

        var random = new Random(5);
        var x = Enumerable.Range(0, 5).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] target = [0.3f, -0.7f];
        var sut = new MlpGradients(net);

        // Loss = ½‖y − t‖²; dL/dy = y − t.
        var y = new float[2];
        sut.Forward(x, y);
        sut.Backward(x, [y[0] - target[0], y[1] - target[1]]);

        double Loss()
        {
            var o = new float[2];
            net.ForwardOne(x, o);
            return 0.5 * (Math.Pow(o[0] - target[0], 2) + Math.Pow(o[1] - target[1], 2));
        }

        var parameters = MlpGradients.ParametersOf(net);
        var grads = sut.All;
        var checkedCount = 0;
        for (var p = 0; p < parameters.Count; p++)
        {
            for (var i = 0; i < parameters[p].Length; i++)
            {
                var keep = parameters[p][i];
                const float eps = 1e-2f;
                parameters[p][i] = keep + eps;
                var up = Loss();
                parameters[p][i] = keep - eps;
                var down = Loss();
                parameters[p][i] = keep;
                var numeric = (up - down) / (2 * eps);
                Assert.True(Math.Abs(numeric - grads[p][i]) <= 2e-3 + (2e-2 * Math.Abs(numeric)), $"param {p}[{i}]: analytic {grads[p][i]}, numeric {numeric}");
                checkedCount++;
            }
        }

        Assert.Equal(5 * 7 + 7 + 7 * 4 + 4 + 4 * 2 + 2, checkedCount);
    }

    [Fact]
    public void Forward_BatchAndRows_SameOutputs()
    {
        var net = new Mlp(6, 5, 1);
        net.Initialize(3);
        net.Skip = [1, 0, 0, 2, 0, 0];
        var x = Enumerable.Range(0, 18).Select(i => i * 0.1f - 0.8f).ToArray();
        var batch = new float[3];

        net.Forward(x, 3, batch);

        for (var r = 0; r < 3; r++)
        {
            var one = new float[1];
            net.ForwardOne(x.AsSpan(r * 6, 6), one);
            Assert.Equal(batch[r], one[0]);
        }
    }
}
