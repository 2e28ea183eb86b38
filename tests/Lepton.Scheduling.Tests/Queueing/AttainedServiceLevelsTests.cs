using Lepton.Scheduling.Queueing;

namespace Lepton.Scheduling.Tests.Queueing;

public class AttainedServiceLevelsTests
{
    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(3599.0, 0)]
    [InlineData(3600.0, 1)]
    [InlineData(100_000.0, 2)]
    [InlineData(1e9, 3)]
    public void LevelOf_CountsThresholdsCrossed(double attained, int level)
    {
        var sut = AttainedServiceLevels.Default;

        Assert.Equal(level, sut.LevelOf(attained));
    }

    [Fact]
    public void NextThreshold_LastLevel_IsNull()
    {
        var sut = new AttainedServiceLevels([10, 20]);

        Assert.Equal(10, sut.NextThreshold(0));
        Assert.Equal(20, sut.NextThreshold(1));
        Assert.Null(sut.NextThreshold(2));
    }

    [Theory]
    [InlineData(new double[0])]
    [InlineData(new[] { 0.0 })]
    [InlineData(new[] { 10.0, 10.0 })]
    [InlineData(new[] { 10.0, double.NaN })]
    public void Constructor_BadThresholds_Throws(double[] thresholds)
    {
        Assert.Throws<ArgumentException>(() => new AttainedServiceLevels(thresholds));
    }
}
