using Lepton.Scheduling.Queueing;

namespace Lepton.Scheduling.Tests.Queueing;

public class StarvationGuardTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(10.0, 100.0)]       // 4 x 10 < bound
    [InlineData(1000.0, 4000.0)]    // 4 x 1,000 > bound
    [InlineData(double.PositiveInfinity, 100.0)]
    [InlineData(-1.0, 100.0)]
    public void PromoteAt_MaxOfBoundAndMultiple(double predicted, double expectedSeconds)
    {
        var sut = new StarvationGuard(TimeSpan.FromSeconds(100), 4);

        Assert.Equal(T0.AddSeconds(expectedSeconds), sut.PromoteAt(T0, predicted));
    }

    [Fact]
    public void PromoteAt_HugePrediction_StaysRepresentable()
    {
        var sut = new StarvationGuard(TimeSpan.FromSeconds(1), 1e300);

        Assert.True(sut.PromoteAt(T0, 1e300) > T0.AddYears(99));
    }
}
