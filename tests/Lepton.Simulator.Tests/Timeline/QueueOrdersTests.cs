using Lepton.Simulator.Timeline;

namespace Lepton.Simulator.Tests.Timeline;

public class QueueOrdersTests
{
    [Theory]
    [InlineData("fifo", QueueOrder.Fifo)]
    [InlineData("Priority", QueueOrder.Priority)]
    [InlineData("las", QueueOrder.Las)]
    [InlineData("sjf-oracle", QueueOrder.SjfOracle)]
    [InlineData("SjfPredicted", QueueOrder.SjfPredicted)]
    [InlineData("sjf_predicted", QueueOrder.SjfPredicted)]
    public void TryParse_KnownName_ReturnsTheOrder(string text, QueueOrder expected)
    {
        Assert.True(QueueOrders.TryParse(text, out var order));
        Assert.Equal(expected, order);
    }

    [Theory]
    [InlineData("sjf")]
    [InlineData("")]
    [InlineData("1")]
    public void TryParse_UnknownName_ReturnsFalse(string text)
    {
        Assert.False(QueueOrders.TryParse(text, out _));
    }

    [Fact]
    public void NameOf_RoundTrips()
    {
        foreach (var order in Enum.GetValues<QueueOrder>())
        {
            Assert.True(QueueOrders.TryParse(QueueOrders.NameOf(order), out var back));
            Assert.Equal(order, back);
        }
    }
}
