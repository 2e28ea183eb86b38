using k8s;
using k8s.Models;
using Lepton.Operator.Controllers.Caching;

namespace Lepton.Operator.Controllers.Informers;

/// <summary>
/// Keeps a cache of one resource in step with the API server (paged LIST, then WATCH with bookmarks,
/// relist on 410) and tells subscribers what changed. One informer per resource is shared by every
/// consumer in the process (controllers and the extender alike).
/// </summary>
/// <typeparam name="T">The resource type.</typeparam>
/// <example>
/// <code>
/// using var subscription = pods.Subscribe(e =>
/// {
///     if (e.Object.Metadata.OwnerReferences?.FirstOrDefault(o => o.Kind == "LeptonJob") is { } owner)
///     {
///         queue.Add(new NamespacedName(e.Object.Namespace(), owner.Name));
///     }
/// });
/// await pods.ReadyAsync(ct);
/// </code>
/// </example>
public interface IResourceInformer<T> : IInformer
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Gets the cache this informer fills.</summary>
    IObjectCache<T> Cache { get; }

    /// <summary>
    /// Adds a handler. It is first called with an Added event for every object already cached, then for
    /// every change, in order, on the informer's loop. Handlers must be fast and must not block (enqueue a
    /// key and return); an exception from a handler stops the informer and with it the host.
    /// </summary>
    /// <param name="handler">The handler.</param>
    /// <returns>Disposing it removes the handler.</returns>
    IDisposable Subscribe(Action<ResourceEvent<T>> handler);

    /// <summary>
    /// Adds a handler that runs before every handler added with <see cref="Subscribe"/>, whenever it was
    /// added: for state that controllers read (the cluster state the gang planner and the extender
    /// use), so that a change is applied there before any controller's handler enqueues the work that
    /// reads it (a worker can pick up a key while the informer is still dispatching the event).
    /// </summary>
    /// <param name="handler">The handler.</param>
    /// <returns>Disposing it removes the handler.</returns>
    IDisposable SubscribeFirst(Action<ResourceEvent<T>> handler);
}
