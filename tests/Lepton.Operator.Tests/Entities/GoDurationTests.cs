using Lepton.Operator.Entities;

namespace Lepton.Operator.Tests.Entities;

public class GoDurationTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("90s", 90)]
    [InlineData("45m", 2700)]
    [InlineData("1h30m", 5400)]
    [InlineData("2.5h", 9000)]
    [InlineData("1h0m0s", 3600)]
    [InlineData("1500ms", 1.5)]
    [InlineData("-2m", -120)]
    [InlineData(".5s", 0.5)]
    public void TryParse_GoDuration_ParsesSeconds(string text, double seconds)
    {
        Assert.True(GoDuration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("1d")]
    [InlineData("h")]
    [InlineData("1h 30m")]
    [InlineData("2 hours")]
    [InlineData("3000000h")]
    public void TryParse_NotAGoDuration_Fails(string? text)
    {
        Assert.False(GoDuration.TryParse(text, out _));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(90, "1m30s")]
    [InlineData(3600, "1h0m0s")]
    [InlineData(12000, "3h20m0s")]
    [InlineData(2.5, "2.5s")]
    [InlineData(0.15, "150ms")]
    [InlineData(-60, "-1m0s")]
    public void Format_Duration_MatchesGoDurationString(double seconds, string expected)
    {
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Format_ThenTryParse_RoundTrips()
    {
        var value = new TimeSpan(1, 2, 3, 4, 567);

        Assert.True(GoDuration.TryParse(GoDuration.Format(value), out var parsed));
        Assert.Equal(value, parsed);
    }
}
