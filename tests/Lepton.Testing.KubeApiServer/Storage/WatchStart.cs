namespace Lepton.Testing.KubeApiServer.Storage;

/// <summary>Where a watch starts: from a resourceVersion, or with synthetic ADDED events for the current state.</summary>
internal sealed record WatchStart(long? ResourceVersion, bool SendInitialEvents, bool AllowBookmarks);
