using k8s.Models;
using Lepton.Operator.Controllers;
using Lepton.Operator.Controllers.Caching;
using Lepton.Testing;

namespace Lepton.Operator.Tests.Controllers.Caching;

public sealed class ObjectCacheTests
{
    private readonly ObjectCache<V1Pod> _sut = new();

    public ObjectCacheTests()
    {
        _sut.AddIndexer(CacheIndexers.PodNodeName, CacheIndexers.ByPodNodeName);
        _sut.AddIndexer(CacheIndexers.OwnerUid, CacheIndexers.ByOwnerUid);
    }

    [Fact]
    public void Get_AfterUpsert_ReturnsTheObject()
    {
        var pod = Make.V1Pod("p1", "1", ns: "a");
        _sut.Upsert(pod);

        Assert.Same(pod, _sut.Get(new NamespacedName("a", "p1")));
        Assert.Null(_sut.Get(new NamespacedName("b", "p1")));
    }

    [Fact]
    public void List_ByNamespace_ReturnsOnlyThatNamespace()
    {
        _sut.Upsert(Make.V1Pod("p1", "1", ns: "a"));
        _sut.Upsert(Make.V1Pod("p2", "1", ns: "a"));
        _sut.Upsert(Make.V1Pod("p3", "1", ns: "b"));

        Assert.Equal(["p1", "p2"], _sut.List("a").Select(p => p.Metadata.Name).Order());
        Assert.Equal(3, _sut.List().Count);
        Assert.Equal(["a", "b"], _sut.IndexValues(CacheIndexers.Namespace).Order());
    }

    [Fact]
    public void ByIndex_PodMovesNode_IsFoundOnlyUnderTheNewNode()
    {
        _sut.Upsert(Make.V1Pod("p1", "1", node: "n1"));
        _sut.Upsert(Make.V1Pod("p1", "2", node: "n2"));

        Assert.Empty(_sut.ByIndex(CacheIndexers.PodNodeName, "n1"));
        Assert.Single(_sut.ByIndex(CacheIndexers.PodNodeName, "n2"));
        Assert.Equal(["n2"], _sut.IndexValues(CacheIndexers.PodNodeName));
    }

    [Fact]
    public void ByIndex_OwnerUid_FindsOwnedPods()
    {
        _sut.Upsert(Make.V1Pod("p1", "1", ownerUid: "job-1"));
        _sut.Upsert(Make.V1Pod("p2", "1", ownerUid: "job-1"));
        _sut.Upsert(Make.V1Pod("p3", "1", ownerUid: "job-2"));
        _sut.Upsert(Make.V1Pod("p4", "1"));

        Assert.Equal(["p1", "p2"], _sut.ByIndex(CacheIndexers.OwnerUid, "job-1").Select(p => p.Metadata.Name).Order());
    }

    [Fact]
    public void Remove_IndexedObject_LeavesNoIndexEntry()
    {
        _sut.Upsert(Make.V1Pod("p1", "1", node: "n1", ownerUid: "job-1"));

        var removed = _sut.Remove(new NamespacedName("default", "p1"));

        Assert.NotNull(removed);
        Assert.Empty(_sut.ByIndex(CacheIndexers.PodNodeName, "n1"));
        Assert.Empty(_sut.IndexValues(CacheIndexers.OwnerUid));
        Assert.Equal(0, _sut.Count);
    }

    [Fact]
    public void AddIndexer_AfterObjectsAreCached_IndexesThem()
    {
        var sut = new ObjectCache<V1Pod>();
        sut.Upsert(Make.V1Pod("p1", "1", node: "n1"));

        sut.AddIndexer(CacheIndexers.PodNodeName, CacheIndexers.ByPodNodeName);
        sut.AddIndexer(CacheIndexers.PodNodeName, _ => ["ignored: the first indexer of a name wins"]);

        Assert.Single(sut.ByIndex(CacheIndexers.PodNodeName, "n1"));
    }

    [Fact]
    public void ByIndex_UnknownIndex_Throws()
        => Assert.Throws<ArgumentException>(() => _sut.ByIndex("nope", "x"));

    [Fact]
    public void Replace_FreshList_ReportsAddedChangedAndVanishedButNotUnchanged()
    {
        _sut.Upsert(Make.V1Pod("same", "1"));
        _sut.Upsert(Make.V1Pod("changed", "1", node: "n1"));
        _sut.Upsert(Make.V1Pod("gone", "1", node: "n1"));

        var changes = _sut.Replace([Make.V1Pod("same", "1"), Make.V1Pod("changed", "5", node: "n2"), Make.V1Pod("new", "6")]);

        Assert.Equal(3, changes.Count);
        Assert.Contains(changes, c => c.Old?.Metadata.Name == "changed" && c.New?.Metadata.ResourceVersion == "5");
        Assert.Contains(changes, c => c.Old is null && c.New?.Metadata.Name == "new");
        Assert.Contains(changes, c => c.Old?.Metadata.Name == "gone" && c.New is null);
        Assert.Equal(["changed"], _sut.ByIndex(CacheIndexers.PodNodeName, "n2").Select(p => p.Metadata.Name));
        Assert.Empty(_sut.ByIndex(CacheIndexers.PodNodeName, "n1"));
        Assert.Equal(3, _sut.Count);
    }

    [Fact]
    public void Strip_ObjectWithManagedFieldsAndLastApplied_DropsThemAndKeepsOtherAnnotations()
    {
        var pod = Make.V1Pod("p1", "1");
        pod.Metadata.ManagedFields = [new V1ManagedFieldsEntry { Manager = "kubectl", Operation = "Apply" }];
        pod.Metadata.Annotations = new Dictionary<string, string>
        {
            [CacheTransforms.LastAppliedConfiguration] = "{\"huge\":true}",
            ["lepton.ai/gpu-milli"] = "500",
        };

        var stripped = CacheTransforms.Strip<V1Pod>(true, [CacheTransforms.LastAppliedConfiguration])(pod);

        Assert.Null(stripped.Metadata.ManagedFields);
        Assert.Equal(["lepton.ai/gpu-milli"], stripped.Metadata.Annotations.Keys);
    }
}
