using Lepton.Models.Nn;

namespace Lepton.Models.Tests.Nn;

public class AdamTests
{
    [Fact]
    public void Step_QuadraticBowl_ConvergesToMinimum()
    {
        float[] w = [5f, -3f];
        var sut = new Adam([w], learningRate: 0.1f);

        for (var i = 0; i < 500; i++)
        {
            sut.Step([[2 * (w[0] - 1), 2 * (w[1] + 2)]]);
        }

        Assert.Equal(1f, w[0], 2);
        Assert.Equal(-2f, w[1], 2);
    }

    [Fact]
    public void Train_SameSeed_SameWeights()
    {
        static float[] Train(int seed)
        {
            var net = new Mlp(3, 8, 1);
            net.Initialize(seed);
            var grads = new MlpGradients(net);
            var sut = new Adam(MlpGradients.ParametersOf(net), 0.01f);
            var random = new Random(seed);
            var y = new float[1];
            for (var step = 0; step < 200; step++)
            {
                grads.Clear();
                for (var b = 0; b < 8; b++)
                {
                    float[] x = [(float)random.NextDouble(), (float)random.NextDouble(), (float)random.NextDouble()];
                    grads.Forward(x, y);
                    grads.Backward(x, [y[0] - (x[0] * 2 - x[2])]);
                }

                grads.Scale(1f / 8);
                sut.Step(grads.All);
            }

            return [.. net.Layers.SelectMany(l => l.Weights.Concat(l.Bias))];
        }

        Assert.Equal(Train(7), Train(7));
        Assert.NotEqual(Train(7), Train(8));
    }
}
