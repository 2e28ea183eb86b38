using Lepton.Scheduling.Resources;

namespace Lepton.Scheduling.Tests.Resources;

public class QuantityTests
{
    [Theory]
    [InlineData("500m", 500)]
    [InlineData("2", 2000)]
    [InlineData("1.5", 1500)]
    [InlineData("0.0001", 1)]
    [InlineData("1e3", 1_000_000)]
    [InlineData("1k", 1_000_000)]
    [InlineData("100u", 1)]
    public void TryParseMilli_ValidQuantity_RoundsUpToMilli(string text, long expected)
    {
        Assert.True(Quantity.TryParseMilli(text, out var milli));
        Assert.Equal(expected, milli);
    }

    [Theory]
    [InlineData("16Gi", 17_179_869_184)]
    [InlineData("1Ki", 1024)]
    [InlineData("128974848", 128_974_848)]
    [InlineData("129e6", 129_000_000)]
    [InlineData("129M", 129_000_000)]
    [InlineData("123Mi", 128_974_848)]
    [InlineData("1.5Gi", 1_610_612_736)]
    [InlineData("0.5", 1)]
    public void TryParseUnits_ValidQuantity_RoundsUpToUnits(string text, long expected)
    {
        Assert.True(Quantity.TryParseUnits(text, out var units));
        Assert.Equal(expected, units);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1Xi")]
    [InlineData("1x")]
    [InlineData("--1")]
    [InlineData("-1")]
    [InlineData("1 Gi")]
    [InlineData(null)]
    public void TryParseUnits_Malformed_ReturnsFalse(string? text)
    {
        Assert.False(Quantity.TryParseUnits(text, out _));
    }
}
