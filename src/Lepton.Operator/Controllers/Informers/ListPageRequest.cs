namespace Lepton.Operator.Controllers.Informers;

/// <summary>A request for one LIST page.</summary>
/// <param name="Limit">The page size (<c>limit</c>).</param>
/// <param name="Continue">The continue token of the previous page; null for the first.</param>
public sealed record ListPageRequest(int Limit, string? Continue);
