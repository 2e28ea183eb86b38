using System.Text.Json;

namespace Lepton.Extender.Wire;

/// <content>A context that interns node names.</content>
public sealed partial class ExtenderJsonContext
{
    /// <summary>
    /// Creates a context with the same settings as <see cref="Default"/> whose <c>NodeNames</c>
    /// reader reuses one string per node name across requests (the extender's hot path).
    /// </summary>
    /// <returns>A new context; keep one per process.</returns>
    public static ExtenderJsonContext CreateInterning()
    {
        var options = new JsonSerializerOptions(Default.Options) { TypeInfoResolver = null };
        options.Converters.Add(new NodeNameListConverter(new NodeNameInterner()));
        return new ExtenderJsonContext(options);
    }
}
