using k8s;
using k8s.Models;

namespace Lepton.Operator.Controllers.Caching;

/// <summary>
/// The read side of an informer's cache: what reconcilers and the extender read instead of calling the API
/// server. Objects are shared between readers: never mutate one (deep-copy it first).
/// Cached objects have <c>metadata.managedFields</c> and large annotations stripped (see <see cref="CacheTransforms"/>).
/// </summary>
/// <typeparam name="T">The resource type.</typeparam>
/// <example>
/// <code>
/// pods.AddIndexer(CacheIndexers.PodNodeName, CacheIndexers.ByPodNodeName);
/// var onNode = pods.ByIndex(CacheIndexers.PodNodeName, "node-7");
/// var job = jobs.Get(new NamespacedName("team-a", "train-42"));
/// </code>
/// </example>
public interface IObjectCache<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Gets a value indicating whether the first full LIST has been applied.</summary>
    bool HasSynced { get; }

    /// <summary>Gets the number of cached objects.</summary>
    int Count { get; }

    /// <summary>Returns the object named <paramref name="key"/>, or null.</summary>
    /// <param name="key">The object key.</param>
    /// <returns>The cached object.</returns>
    T? Get(NamespacedName key);

    /// <summary>Returns every cached object (a snapshot).</summary>
    /// <returns>The objects, in no particular order.</returns>
    IReadOnlyList<T> List();

    /// <summary>Returns the cached objects of <paramref name="namespace"/>.</summary>
    /// <param name="namespace">The namespace.</param>
    /// <returns>The objects, in no particular order.</returns>
    IReadOnlyList<T> List(string @namespace);

    /// <summary>Returns the objects whose index <paramref name="indexName"/> yields <paramref name="indexValue"/>.</summary>
    /// <param name="indexName">An index added with <see cref="AddIndexer"/> (or <see cref="CacheIndexers.Namespace"/>).</param>
    /// <param name="indexValue">The value to look up.</param>
    /// <returns>The objects, in no particular order.</returns>
    IReadOnlyList<T> ByIndex(string indexName, string indexValue);

    /// <summary>Returns the values index <paramref name="indexName"/> currently holds.</summary>
    /// <param name="indexName">The index.</param>
    /// <returns>The values.</returns>
    IReadOnlyList<string> IndexValues(string indexName);

    /// <summary>
    /// Adds an index: <paramref name="indexer"/> maps an object to the values it is found under. Adding an
    /// index whose name exists is a no-op (so several consumers may ask for the same one).
    /// </summary>
    /// <param name="indexName">The index name.</param>
    /// <param name="indexer">Maps an object to its index values (pure, fast, no I/O).</param>
    void AddIndexer(string indexName, Func<T, IEnumerable<string>> indexer);
}
