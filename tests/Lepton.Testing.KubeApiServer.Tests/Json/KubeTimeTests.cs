using Lepton.Testing.KubeApiServer.Json;

namespace Lepton.Testing.KubeApiServer.Tests.Json;

public sealed class KubeTimeTests
{
    [Theory]
    [InlineData(-5, "<invalid>")]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(150, "2m30s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600, "3h")]
    [InlineData(3 * 3600 + 600, "3h10m")]
    [InlineData(30 * 3600, "30h")]
    [InlineData(3 * 86400 + 3600, "3d1h")]
    [InlineData(100 * 86400, "100d")]
    [InlineData(3 * 365 * 86400 + 86400, "3y1d")]
    [InlineData(9 * 365 * 86400, "9y")]
    public void HumanDuration_Seconds_RendersLikeKubectl(long seconds, string expected)
    {
        Assert.Equal(expected, KubeTime.HumanDuration(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Format_Utc_RendersRfc3339Seconds()
    {
        var time = new DateTimeOffset(2026, 3, 4, 5, 6, 7, 890, TimeSpan.FromHours(2));

        Assert.Equal("2026-03-04T03:06:07Z", KubeTime.Format(time));
        Assert.Equal("2026-03-04T03:06:07.890000Z", KubeTime.FormatMicro(time));
    }
}
