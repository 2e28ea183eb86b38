using k8s;
using k8s.Models;

namespace Lepton.Operator.Controllers.Informers;

/// <summary>One line of a watch stream.</summary>
/// <typeparam name="T">The resource type.</typeparam>
/// <param name="Type">ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.</param>
/// <param name="Object">The object (ADDED, MODIFIED, DELETED).</param>
/// <param name="ResourceVersion">The resourceVersion the event carries (the object's, or the bookmark's).</param>
/// <param name="Status">The Status of an ERROR event.</param>
public readonly record struct ResourceWatchEvent<T>(WatchEventType Type, T? Object, string? ResourceVersion, V1Status? Status = null)
    where T : class;
