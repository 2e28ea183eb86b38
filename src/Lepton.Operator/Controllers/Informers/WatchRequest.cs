namespace Lepton.Operator.Controllers.Informers;

/// <summary>A request to open a watch.</summary>
/// <param name="ResourceVersion">Stream changes after this resourceVersion.</param>
/// <param name="Timeout">The server-side timeout (<c>timeoutSeconds</c>).</param>
/// <param name="AllowBookmarks">Whether to ask for BOOKMARK events (<c>allowWatchBookmarks</c>).</param>
public sealed record WatchRequest(string ResourceVersion, TimeSpan Timeout, bool AllowBookmarks = true);
