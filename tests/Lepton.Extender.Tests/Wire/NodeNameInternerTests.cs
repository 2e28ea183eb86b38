using Lepton.Kubernetes.Wire;

namespace Lepton.Extender.Tests.Wire;

public sealed class NodeNameInternerTests
{
    [Fact]
    public void Intern_SameNameTwice_SameString()
    {
        var sut = new NodeNameInterner();

        var first = sut.Intern("node-1".AsSpan());
        var second = sut.Intern("node-1".ToCharArray());

        Assert.Same(first, second);
        Assert.Equal(1, sut.Count);
    }

    [Fact]
    public void Intern_MoreNamesThanTheCapacity_ClearedAndBounded()
    {
        var sut = new NodeNameInterner(capacity: 100);

        for (var i = 0; i < 1_000; i++)
        {
            sut.Intern(("n" + i).AsSpan());
        }

        Assert.InRange(sut.Count, 1, 100);
    }

    /// <summary>
    /// Issue 12: a new name costs a dictionary insert, the size kept in a counter rather than read from
    /// <c>ConcurrentDictionary.Count</c> (which takes every lock: 12-17 µs a name). The cost itself is a
    /// benchmark figure (docs/EXTENDER.md: 300,000 names 5.1-6.1 s before, 0.29-0.42 s after); here the
    /// counter must stay exact over several clears, since the bound relies on it.
    /// </summary>
    [Fact]
    public void Intern_300000NewNames_CounterExactAcrossClears()
    {
        var sut = new NodeNameInterner(capacity: 65_536);

        for (var i = 0; i < 300_000; i++)
        {
            sut.Intern(("unknown-node-" + i).AsSpan());
        }

        Assert.Equal(300_000 - (4 * 65_536), sut.Count);
        Assert.Same(sut.Intern("unknown-node-299999".AsSpan()), sut.Intern("unknown-node-299999".AsSpan()));
        Assert.Equal(300_000 - (4 * 65_536), sut.Count);
    }
}
