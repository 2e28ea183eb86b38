using Lepton.Testing.KubeApiServer.Watch;

namespace Lepton.Testing.KubeApiServer.Storage;

/// <summary>
/// A built-in controller (garbage collector, namespace lifecycle, CRD registration, PDB status). It runs
/// after every committed change, under the store lock, and writes through the store's core operations.
/// </summary>
internal interface IStoreController
{
    void OnCommitted(StoreEvent change);
}
