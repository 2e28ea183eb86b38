namespace Lepton.Testing.KubeApiServer.Http;

/// <summary>The representation a client asked for in its Accept header.</summary>
internal enum ResponseKind
{
    Object,
    Table,
    PartialObjectMetadata,
}
