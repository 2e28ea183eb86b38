using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Lepton.Operator.Crds;

/// <summary>
/// Builds YAML nodes with explicit scalar styles and writes them deterministically: block style,
/// keys in insertion order, LF line ends, and strings quoted whenever a YAML 1.1 reader (the API
/// server's) could take them for a boolean, null, number or timestamp.
/// </summary>
internal static partial class CrdYaml
{
    /// <summary>The column at which long scalars are folded.</summary>
    public const int LineWidth = 100;

    /// <summary>A string scalar.</summary>
    /// <param name="value">The string.</param>
    /// <returns>The node, styled so that it reads back as the same string.</returns>
    public static YamlScalarNode Str(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var style = value.Contains('\n', StringComparison.Ordinal)
            ? ScalarStyle.Literal
            : LooksLikeNonString(value) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any;
        return new YamlScalarNode(value) { Style = style };
    }

    /// <summary>An integer scalar.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The node.</returns>
    public static YamlScalarNode Int(long value) =>
        new(value.ToString(CultureInfo.InvariantCulture)) { Style = ScalarStyle.Plain };

    /// <summary>A boolean scalar.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The node.</returns>
    public static YamlScalarNode Bool(bool value) => new(value ? "true" : "false") { Style = ScalarStyle.Plain };

    /// <summary>A scalar for a CLR default value (<c>[DefaultValue]</c>): strings, integers and booleans.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The node.</returns>
    /// <exception cref="NotSupportedException">The value is of another type.</exception>
    public static YamlScalarNode Scalar(object value) => value switch
    {
        string s => Str(s),
        bool b => Bool(b),
        int i => Int(i),
        long l => Int(l),
        _ => throw new NotSupportedException($"Default values of type {value.GetType()} are not supported."),
    };

    /// <summary>A block sequence of string scalars.</summary>
    /// <param name="values">The strings.</param>
    /// <returns>The node.</returns>
    public static YamlSequenceNode Strings(IEnumerable<string> values) => new(values.Select(v => (YamlNode)Str(v)));

    /// <summary>Writes a node as a YAML document, optionally preceded by comment lines.</summary>
    /// <param name="root">The document's root node.</param>
    /// <param name="headerComments">Lines written as <c># line</c> before the document.</param>
    /// <returns>The YAML text, LF line ends, ending with one newline.</returns>
    public static string Write(YamlNode root, IEnumerable<string>? headerComments = null)
    {
        var text = new StringBuilder();
        foreach (var line in headerComments ?? [])
        {
            text.Append("# ").Append(line).Append('\n');
        }

        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var emitter = new Emitter(writer, 2, LineWidth);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        Emit(emitter, root);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        text.Append(writer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
        return text.ToString().TrimEnd('\n') + "\n";
    }

    /// <summary>Whether a YAML 1.1 or 1.2 reader would resolve the plain scalar to something other than a string.</summary>
    /// <param name="value">The string.</param>
    /// <returns>True when the string must be quoted.</returns>
    internal static bool LooksLikeNonString(string value) =>
        value.Length == 0 || value.Trim() != value || NonStringPattern().IsMatch(value);

    private static void Emit(IEmitter emitter, YamlNode node)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                emitter.Emit(new YamlDotNet.Core.Events.Scalar(
                    AnchorName.Empty, TagName.Empty, scalar.Value ?? string.Empty, scalar.Style, isPlainImplicit: true, isQuotedImplicit: true));
                break;
            case YamlSequenceNode sequence:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, SequenceStyle.Block));
                foreach (var child in sequence.Children)
                {
                    Emit(emitter, child);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case YamlMappingNode mapping:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, MappingStyle.Block));
                foreach (var (key, value) in mapping.Children)
                {
                    Emit(emitter, key);
                    Emit(emitter, value);
                }

                emitter.Emit(new MappingEnd());
                break;
            default:
                throw new NotSupportedException($"Unsupported YAML node {node.GetType().Name}.");
        }
    }

    // YAML 1.1 booleans (y/n/yes/no/on/off/true/false), nulls, ints/floats (incl. sexagesimal,
    // hex, octal, .inf/.nan) and timestamps, all case-insensitively.
    [GeneratedRegex(
        @"^(?:y|n|yes|no|on|off|true|false|null|~|[-+]?(?:\.inf|\.nan)|\.nan|[-+]?(?:0x[0-9a-f_]+|0o?[0-7_]+|0b[01_]+|[0-9][0-9_,]*(?::[0-5]?[0-9])*(?:\.[0-9_]*)?(?:e[-+]?[0-9]+)?|\.[0-9_]+(?:e[-+]?[0-9]+)?)|\d{4}-\d{1,2}-\d{1,2}.*)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NonStringPattern();
}
