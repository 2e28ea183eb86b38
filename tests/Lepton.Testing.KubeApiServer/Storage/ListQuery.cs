using Lepton.Testing.KubeApiServer.Watch;

namespace Lepton.Testing.KubeApiServer.Storage;

/// <summary>A list request: what to select and how to page.</summary>
internal sealed record ListQuery(WatchFilter Filter, int? Limit = null, string? Continue = null);
