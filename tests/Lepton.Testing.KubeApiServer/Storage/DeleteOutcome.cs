using System.Text.Json.Nodes;

namespace Lepton.Testing.KubeApiServer.Storage;

/// <summary>The result of a delete: the object's last state and whether it is gone or only marked for deletion.</summary>
internal sealed record DeleteOutcome(JsonObject Object, bool Removed);
