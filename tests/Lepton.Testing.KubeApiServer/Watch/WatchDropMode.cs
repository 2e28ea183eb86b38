namespace Lepton.Testing.KubeApiServer.Watch;

/// <summary>How <see cref="KubeApiTestServer.DropWatches"/> ends open watch streams.</summary>
public enum WatchDropMode
{
    /// <summary>End each stream cleanly, as the server does when a watch times out.</summary>
    Close,

    /// <summary>Reset each connection, as a crashing server or a broken network does.</summary>
    Abort,
}
