using System.Text.Json.Nodes;

namespace Lepton.Testing.KubeApiServer.Tables;

/// <summary>A column of a server-side Table: its definition and how a cell is computed from an object at a time.</summary>
internal sealed record TableColumn(
    string Name,
    string Type,
    string Format,
    string Description,
    int Priority,
    Func<JsonObject, DateTimeOffset, JsonNode?> Cell)
{
    public JsonObject ToDefinition() => new()
    {
        ["name"] = Name,
        ["type"] = Type,
        ["format"] = Format,
        ["description"] = Description,
        ["priority"] = Priority,
    };
}
