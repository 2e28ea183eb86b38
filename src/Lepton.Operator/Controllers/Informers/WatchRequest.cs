namespace Lepton.Operator.Controllers.Informers;

/// <summary>A request to open a watch.</summary>
/// <param name="ResourceVersion">Stream changes after this resourceVersion.</param>
/// <param name="Timeout">The server-side timeout (<c>timeoutSeconds</c>).</param>
/// <param name="AllowBookmarks">Whether to ask for BOOKMARK events (<c>allowWatchBookmarks</c>).</param>
public sealed record WatchRequest(string ResourceVersion, TimeSpan Timeout, bool AllowBookmarks = true)
{
    /// <summary>
    /// Called once the server accepted the watch (its 200 response arrived), before any event: a quiet resource
    /// sends none for minutes, yet the connection shows the API server is back. Null for no call.
    /// </summary>
    public Action? OnConnected { get; init; }
}
