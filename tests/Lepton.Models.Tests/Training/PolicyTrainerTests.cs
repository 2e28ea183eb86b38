using Lepton.Models.Features;
using Lepton.Models.Inference;
using Lepton.Models.Nn;
using Lepton.Models.Scoring;
using Lepton.Models.Tests.Testing;
using Lepton.Models.Training;
using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Scoring.Fgd;
using Lepton.Testing;

namespace Lepton.Models.Tests.Training;

public class PolicyTrainerTests
{
    [Fact]
    public void Build_ResidualZero_ScoresExactlyAsFgd()
    {
        var trunk = new Mlp(FeatureSchema.Count, 16, 8, 1);
        trunk.Initialize(5);
        var theta = new double[PolicyTrainer.HeadParameterNames.Count];
        theta[0] = 1;
        var sut = new LearnedScorer(new MlpScoringModel(PolicyTrainer.Build(trunk, theta)));
        var context = TestCluster.Context();
        var pod = Make.Pod("x", 4000, 1, 500, qos: "LS");
        var nodes = TestCluster.Nodes(150, 9).Where(n => FitChecker.Check(pod, n) == FitCode.Fits).ToArray();
        var fgd = new FgdScorer();
        var expected = new int[nodes.Length];
        var actual = new int[nodes.Length];

        fgd.Score(fgd.PreScore(pod, context), nodes, expected);
        sut.Score(sut.PreScore(pod, context), nodes, actual);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Build_HeadWeight_FoldsIntoSkipAndBias()
    {
        var trunk = new Mlp(FeatureSchema.Count, 4, 1);
        var j = FeatureSchema.Names.IndexOf("pair.bestfit");
        trunk.InputMean[j] = 0.5f;
        trunk.InputScale[j] = 2f;
        var theta = new double[PolicyTrainer.HeadParameterNames.Count];
        theta[0] = 1;
        theta[3 + PolicyTrainer.HeadFeatures.ToList().IndexOf("pair.bestfit")] = 3;
        var sut = PolicyTrainer.Build(trunk, theta);
        var x = new float[FeatureSchema.Count];
        x[j] = 0.75f;
        x[FeatureSchema.FgdScore] = 0.5f;
        var y = new float[1];

        sut.ForwardOne(x, y);

        Assert.Equal(50f + (3f * (0.75f - 0.5f) * 2f), y[0], 4);
    }
}
