using Lepton.Scheduling.Readiness;

namespace Lepton.Extender.Tests.Readiness;

public sealed class ClusterStateReadinessTests
{
    [Fact]
    public void MarkReady_ThenNotReady_TracksReason()
    {
        var sut = new ClusterStateReadiness();
        Assert.False(sut.IsReady);

        sut.MarkReady();
        Assert.True(sut.IsReady);
        Assert.Equal(string.Empty, sut.Reason);

        sut.MarkNotReady("relisting nodes");
        Assert.False(sut.IsReady);
        Assert.Equal("relisting nodes", sut.Reason);
    }
}
