namespace Lepton.Operator.Controllers.Queue;

/// <summary>What <see cref="IWorkQueue{TKey}.GetAsync"/> hands out: a key, or the shutdown marker.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <param name="Key">The key to process (default when <paramref name="IsShutdown"/>).</param>
/// <param name="IsShutdown">True when the queue is shut down and drained: the worker must stop.</param>
public readonly record struct WorkQueueItem<TKey>(TKey Key, bool IsShutdown);
