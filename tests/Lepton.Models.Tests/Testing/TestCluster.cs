using Lepton.Models.Features;
using Lepton.Models.Nn;
using Lepton.Models.Onnx;
using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.State;
using Lepton.Testing;

namespace Lepton.Models.Tests.Testing;

/// <summary>Small clusters, typical pods and models for tests (nodes and pods from <see cref="Make"/>).</summary>
internal static class TestCluster
{
    public static PodDemand[] TypicalPods() =>
    [
        Make.Pod("a", 4000, 1, 500, qos: "LS"), Make.Pod("b", 8000, 1, 1000, qos: "LS"), Make.Pod("c", 2000, 0, 0, qos: "BE"), Make.Pod("d", 16000, 2, 1000, qos: "LS"),
        Make.Pod("e", 3000, 1, 250, qos: "LS"), Make.Pod("f", 4000, 1, 500, qos: "LS"), Make.Pod("g", 6000, 1, 750, qos: "Burstable"), Make.Pod("h", 8000, 1, 1000, qos: "LS"),
    ];

    public static ScoringContext Context(int seed = 1) =>
        new(FragmentationModel.FromPods(TypicalPods(), 0.95), ClusterScale.OpenB, new Random(seed));

    /// <summary>Random node states: 1..8 cards, partly used, some CPU used.</summary>
    public static NodeState[] Nodes(int count, int seed)
    {
        var random = new Random(seed);
        var pods = TypicalPods();
        var nodes = new NodeState[count];
        var cards = new int[8];
        for (var i = 0; i < count; i++)
        {
            int[] sizes = [1, 2, 4, 8];
            var inv = Make.Node($"n{i:D4}", cpuMilli: 96000, gpus: sizes[random.Next(sizes.Length)], model: random.Next(2) == 0 ? "V100M32" : "T4", memoryMiB: 512 * 1024);
            var state = NodeState.Empty(inv);
            var placements = random.Next(6);
            for (var k = 0; k < placements; k++)
            {
                var pod = pods[random.Next(pods.Length)] with { Uid = $"p{i}-{k}" };
                if (FitChecker.Check(pod, state) != FitCode.Fits)
                {
                    continue;
                }

                var n = CardSelection.Select(pod, state.CardFree, CardSelection.ShareRule.BestFit, cards);
                if (n >= 0)
                {
                    state = state.WithPod(pod, cards.AsSpan(0, n), k + 1);
                }
            }

            nodes[i] = state;
        }

        return nodes;
    }

    public static float[] RandomFeatures(int rows, int seed)
    {
        var random = new Random(seed);
        var x = new float[rows * FeatureSchema.Count];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return x;
    }

    /// <summary>A policy network that scores exactly FGD's integer score plus <paramref name="offset"/>.</summary>
    public static Mlp FgdNetwork(float offset = 0f)
    {
        var net = new Mlp(FeatureSchema.Count, 4, 1);
        net.Skip = new float[FeatureSchema.Count];
        net.Skip[FeatureSchema.FgdScore] = 100f;
        net.Layers[^1].Bias[0] = offset;
        return net;
    }

    /// <summary>A random network whose output layer is scaled up, so that its scores spread over many values.</summary>
    public static Mlp SpreadNetwork(int seed, float outputGain = 3f)
    {
        var net = RandomNetwork(seed);
        for (var i = 0; i < net.Layers[^1].Weights.Length; i++)
        {
            net.Layers[^1].Weights[i] *= outputGain;
        }

        return net;
    }

    public static Mlp RandomNetwork(int seed, int inputs = FeatureSchema.Count)
    {
        var net = new Mlp(inputs, 8, 6, 1);
        net.Initialize(seed);
        var random = new Random(seed + 1);
        for (var i = 0; i < inputs; i++)
        {
            net.InputMean[i] = (float)(random.NextDouble() - 0.5);
            net.InputScale[i] = (float)(0.5 + random.NextDouble());
        }

        net.Skip = new float[inputs];
        net.Skip[Math.Min(FeatureSchema.FgdScore, inputs - 1)] = 100f;
        return net;
    }

    public static string Save(Mlp net, string directory, string name = "policy.onnx", ModelSchema? schema = null)
    {
        var path = Path.Combine(directory, name);
        OnnxMlpExporter.Save(OnnxMlpExporter.Export(net, schema ?? ModelSchema.Policy), path);
        return path;
    }
}
