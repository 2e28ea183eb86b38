using Lepton.Operator.Entities;
using Lepton.Operator.Prediction;

namespace Lepton.Operator.Tests.Prediction;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData(4980, "1h23m")]
    [InlineData(4990, "1h23m")] // whole minutes from ten minutes on
    [InlineData(7200, "2h")]
    [InlineData(90, "1m30s")]
    [InlineData(599.6, "10m")]
    [InlineData(12.4, "12s")]
    [InlineData(0.2, "1s")]
    [InlineData(90061, "25h1m")]
    public void Format_Seconds_ShortGoDuration(double seconds, string expected)
    {
        var sut = DurationText.Format(seconds);

        Assert.Equal(expected, sut);
        Assert.True(GoDuration.TryParse(sut, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public void Format_NotPositive_Throws(double seconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DurationText.Format(seconds));
    }
}
