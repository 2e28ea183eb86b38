using System.Text.Json.Nodes;

namespace Lepton.Testing.KubeApiServer.Storage;

/// <summary>One page of a list, with the list's resourceVersion and the continue token of the next page.</summary>
internal sealed record ListResult(IReadOnlyList<JsonObject> Items, long ResourceVersion, string? Continue, long? RemainingItemCount);
