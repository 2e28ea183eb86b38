namespace Lepton.Operator.Controllers.Caching;

/// <summary>One change a cache replace produced: old null = added, new null = deleted, both = updated.</summary>
/// <typeparam name="T">The resource type.</typeparam>
/// <param name="Old">The previous state.</param>
/// <param name="New">The new state.</param>
internal readonly record struct ResourceEventChange<T>(T? Old, T? New)
    where T : class;
