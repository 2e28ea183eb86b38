namespace Lepton.Operator.Controllers.Informers;

/// <summary>One page of a LIST.</summary>
/// <typeparam name="T">The resource type.</typeparam>
/// <param name="Items">The objects.</param>
/// <param name="ResourceVersion">The list's resourceVersion (the same for every page of one list).</param>
/// <param name="Continue">The token for the next page; null or empty on the last page.</param>
public sealed record ResourceListPage<T>(IReadOnlyList<T> Items, string ResourceVersion, string? Continue);
