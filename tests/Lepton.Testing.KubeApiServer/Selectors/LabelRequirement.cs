using System.Globalization;
using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Json;

namespace Lepton.Testing.KubeApiServer.Selectors;

/// <summary>One requirement of a label selector, e.g. <c>tier in (a,b)</c>.</summary>
internal sealed record LabelRequirement(string Key, LabelOperator Operator, IReadOnlyList<string> Values)
{
    public bool Matches(JsonObject? labels)
    {
        var present = labels is not null && labels.TryGetPropertyValue(Key, out _);
        var value = present ? JsonNodes.ScalarText(labels![Key]) : null;
        return Operator switch
        {
            LabelOperator.Equals => present && value == Values[0],
            LabelOperator.NotEquals => !present || value != Values[0],
            LabelOperator.In => present && Values.Contains(value ?? ""),
            LabelOperator.NotIn => !present || !Values.Contains(value ?? ""),
            LabelOperator.Exists => present,
            LabelOperator.DoesNotExist => !present,
            LabelOperator.GreaterThan => present && TryInt(value, out var g) && TryInt(Values[0], out var gv) && g > gv,
            LabelOperator.LessThan => present && TryInt(value, out var l) && TryInt(Values[0], out var lv) && l < lv,
            _ => false,
        };
    }

    private static bool TryInt(string? text, out long value) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
}
