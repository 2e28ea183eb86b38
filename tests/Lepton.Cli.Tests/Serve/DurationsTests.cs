using Lepton.Cli.Serve;

namespace Lepton.Cli.Tests.Serve;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("15s", 15_000)]
    [InlineData("500ms", 500)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("2h", 7_200_000)]
    [InlineData("00:00:15", 15_000)]
    public void TryParse_GoOrDotNetForm_ParsesTheDuration(string text, int milliseconds)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("15")]
    [InlineData("fifteen seconds")]
    [InlineData("15s garbage")]
    [InlineData("-5s")]
    [InlineData("0s")]
    [InlineData("00:00:00")]
    [InlineData("1d")]
    public void TryParse_NotAPositiveDuration_Refused(string text)
    {
        Assert.False(Durations.TryParse(text, out _));
    }
}
