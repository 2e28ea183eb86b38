using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cel;
using Google.Protobuf.WellKnownTypes;

namespace Lepton.Testing.KubeApiServer.Validation;

/// <summary>
/// The CEL side of <c>x-kubernetes-validations</c>, on the <c>Cel</c> package: compiles rules and turns
/// JSON values into the CEL values kube-apiserver binds to <c>self</c> and <c>oldSelf</c> (objects as
/// maps, integers as <c>int</c>, <c>format: duration</c> and <c>date-time</c> strings as durations and
/// timestamps).
/// </summary>
/// <remarks>
/// The package parses a rule but does not type-check it against the schema as kube-apiserver does, so a
/// rule that names a missing field fails when it is evaluated rather than when the CRD is created. The
/// Kubernetes CEL libraries (<c>isSorted</c>, <c>quantity</c>, <c>url</c>, <c>ip</c>, <c>format</c>...) are
/// not registered: the LeptonJob CRD's rules use none of them; a rule that calls one fails to evaluate
/// with the package's "unbound function" error.
/// </remarks>
internal sealed class CelRuleCompiler
{
    private readonly CelEnvironment _environment = new(null, null);

    /// <summary>Parses <paramref name="expression"/>; throws <see cref="CelException"/> when it is not valid CEL.</summary>
    public CelProgramDelegate Compile(string expression) => _environment.Compile(expression);

    /// <summary>The CEL value of <paramref name="value"/> under <paramref name="schema"/>, as kube-apiserver's <c>UnstructuredToVal</c> builds it.</summary>
    public object? ToCel(JsonNode? value, StructuralSchema? schema)
    {
        switch (value)
        {
            case null:
                return null;
            case JsonObject obj:
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (key, item) in obj)
                {
                    map[key] = ToCel(item, schema?.PropertySchema(key));
                }

                return map;
            case JsonArray array:
                return array.Select(item => ToCel(item, schema?.Items)).ToList();
        }

        var scalar = value.AsValue();
        switch (scalar.GetValueKind())
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                var text = scalar.ToJsonString();
                if (schema?.Type != "number" && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer))
                {
                    return integer;
                }

                return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            case JsonValueKind.String:
                var s = scalar.GetValue<string>();
                return schema?.Format switch
                {
                    "duration" when FormatChecks.TryParseDuration(s, out var duration) => Duration.FromTimeSpan(duration),
                    "date-time" when FormatChecks.TryParseDateTime(s, out var time) => Timestamp.FromDateTimeOffset(time),
                    _ => s,
                };
            default:
                return null;
        }
    }
}
