namespace Lepton.Testing.KubeApiServer.Watch;

/// <summary>Wire names of <see cref="WatchEventType"/>.</summary>
internal static class WatchEventTypes
{
    public static string ToWire(this WatchEventType type) => type switch
    {
        WatchEventType.Added => "ADDED",
        WatchEventType.Modified => "MODIFIED",
        WatchEventType.Deleted => "DELETED",
        WatchEventType.Bookmark => "BOOKMARK",
        _ => "ERROR",
    };
}
