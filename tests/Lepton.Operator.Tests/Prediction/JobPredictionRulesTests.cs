using Lepton.Operator.Prediction;
using Lepton.Scheduling.Prediction;

namespace Lepton.Operator.Tests.Prediction;

public sealed class JobPredictionRulesTests
{
    private static readonly DurationPrediction OneHour = new(3600, DurationSource.Predicted, "predictor@test");

    [Theory]
    [InlineData(null, null, "1h", PredictionSources.Predicted, false)] // nothing declared: the prediction
    [InlineData("3h", null, "3h", PredictionSources.Declared, false)] // declared at least the prediction: declared
    [InlineData("1h", null, "1h", PredictionSources.Declared, false)] // equal counts as at least
    [InlineData("1s", null, "1h", PredictionSources.Predicted, true)] // the 1s trick without maxRuntime: the prediction
    [InlineData("1s", "10m", "1h", PredictionSources.Predicted, true)] // maxRuntime more than 2x the declared: the prediction
    [InlineData("30m", "1h", "30m", PredictionSources.Declared, false)] // shorter, but maxRuntime <= 2x bounds it: declared
    [InlineData("30m", "61m", "1h", PredictionSources.Predicted, true)] // just over 2x: the prediction
    public void Decide_DeclaredAgainstAPredictionOfOneHour_UsesTheRule(string? declared, string? maxRuntime, string duration, string source, bool says)
    {
        var sut = JobPredictionRules.Decide(declared, maxRuntime, OneHour);

        Assert.Equal(duration, sut.Duration);
        Assert.Equal(source, sut.Source);
        Assert.Equal("predictor@test", sut.Model);
        Assert.Equal(says, sut.Message is not null);
    }

    [Fact]
    public void Decide_TheOneSecondTrick_StatusSaysWhyThePredictionOrdersTheJob()
    {
        var sut = JobPredictionRules.Decide("1s", null, OneHour);

        Assert.Equal("expectedDuration 1s is shorter than the prediction 1h and maxRuntime is not set, so the prediction orders the job", sut.Message);
        Assert.Equal(3600, sut.Seconds);
    }

    [Fact]
    public void Decide_NoPredictionAndBoundedDeclared_UsesTheDeclared()
    {
        var sut = JobPredictionRules.Decide("2h", "4h", null);

        Assert.Equal(("2h", PredictionSources.Declared, (string?)null, 7200.0), (sut.Duration, sut.Source, sut.Model, sut.Seconds!.Value));
    }

    [Fact]
    public void Decide_NoPredictionAndUnboundedDeclared_NoDurationAndSaysWhy()
    {
        var sut = JobPredictionRules.Decide("2h", null, null);

        Assert.Null(sut.Duration);
        Assert.Null(sut.Source);
        Assert.Equal("expectedDuration 2h cannot be checked against a prediction and maxRuntime is not set, so it does not order the job", sut.Message);
    }

    [Fact]
    public void Decide_NothingAtAll_None()
    {
        Assert.Equal(JobPrediction.None, JobPredictionRules.Decide(null, "1h", null));
    }
}
