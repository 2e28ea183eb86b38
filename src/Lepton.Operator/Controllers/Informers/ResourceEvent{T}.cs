namespace Lepton.Operator.Controllers.Informers;

/// <summary>
/// A change an informer applied to its cache, passed to its handlers after the cache holds the new state.
/// Added: <see cref="OldObject"/> is null. Updated: both are set. Deleted: <see cref="NewObject"/> is null and
/// <see cref="OldObject"/> is the last known state (the DELETED event's object, or the cached one when the
/// delete was synthesized by a relist).
/// </summary>
/// <typeparam name="T">The resource type.</typeparam>
/// <param name="Type">What happened.</param>
/// <param name="OldObject">The state before.</param>
/// <param name="NewObject">The state after.</param>
/// <param name="IsSynthesized">True when the event comes from comparing a relist with the cache, not from a watch event.</param>
public readonly record struct ResourceEvent<T>(ResourceEventType Type, T? OldObject, T? NewObject, bool IsSynthesized = false)
    where T : class
{
    /// <summary>Gets the object the event is about: the new state, or the last known one for a delete.</summary>
    public T Object => NewObject ?? OldObject ?? throw new InvalidOperationException("An event carries at least one object.");
}
