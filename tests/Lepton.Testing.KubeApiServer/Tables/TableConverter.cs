using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Json;
using Lepton.Testing.KubeApiServer.Resources;

namespace Lepton.Testing.KubeApiServer.Tables;

/// <summary>
/// Server-side printing (<c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>): built-in columns, or
/// for custom resources a Name column followed by the CRD's <c>additionalPrinterColumns</c>.
/// </summary>
internal sealed class TableConverter(TimeProvider time)
{
    public IReadOnlyList<TableColumn> ColumnsFor(ResourceDefinition definition) =>
        definition.PrinterColumns is { } printerColumns
            ? [BuiltInColumns.Name, .. printerColumns.Select(Compile)]
            : BuiltInColumns.For(definition.GroupResource);

    public JsonObject ToTable(ResourceDefinition definition, IEnumerable<JsonObject> items, TableRequest request, JsonObject? listMetadata, bool includeColumnDefinitions = true)
    {
        var columns = ColumnsFor(definition);
        var now = time.GetUtcNow();
        var rows = new JsonArray();
        foreach (var item in items)
        {
            var cells = new JsonArray();
            foreach (var column in columns)
            {
                cells.Add(column.Cell(item, now));
            }

            var row = new JsonObject { ["cells"] = cells };
            switch (request.IncludeObject)
            {
                case "None":
                    break;
                case "Object":
                    row["object"] = item.DeepClone();
                    break;
                default:
                    row["object"] = new JsonObject
                    {
                        ["kind"] = "PartialObjectMetadata",
                        ["apiVersion"] = "meta.k8s.io/v1",
                        ["metadata"] = ObjectMeta.Of(JsonNodes.Clone(item)).DeepClone(),
                    };
                    break;
            }

            rows.Add(row);
        }

        var definitions = new JsonArray();
        if (includeColumnDefinitions)
        {
            foreach (var column in columns)
            {
                definitions.Add(column.ToDefinition());
            }
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = request.ApiVersion,
            ["metadata"] = listMetadata ?? new JsonObject(),
            ["columnDefinitions"] = definitions,
            ["rows"] = rows,
        };
    }

    private static TableColumn Compile(PrinterColumn column)
    {
        SimpleJsonPath? path;
        try
        {
            path = SimpleJsonPath.Parse(column.JsonPath);
        }
        catch (FormatException)
        {
            path = null;
        }

        return new TableColumn(column.Name, column.Type, column.Format, column.Description, column.Priority, (obj, now) =>
        {
            var results = path?.Evaluate(obj) ?? [];
            if (results.Count == 0)
            {
                return null;
            }

            var value = results[0];
            return column.Type switch
            {
                "integer" => JsonNodes.ScalarText(value) is { } t && long.TryParse(t, out var l) ? l
                    : double.TryParse(JsonNodes.ScalarText(value), System.Globalization.CultureInfo.InvariantCulture, out var d) ? (long)d : null,
                "number" => double.TryParse(JsonNodes.ScalarText(value), System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null,
                "boolean" => value is JsonValue b && b.TryGetValue<bool>(out var flag) ? flag : null,
                "date" => BuiltInColumns.AgeOf(JsonNodes.ScalarText(value), now),
                _ => results.Count == 1 ? JsonNodes.ScalarText(value) : string.Join(",", results.Select(JsonNodes.ScalarText)),
            };
        });
    }
}
