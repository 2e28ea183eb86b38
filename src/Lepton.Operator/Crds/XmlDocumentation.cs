using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Xml.Linq;

namespace Lepton.Operator.Crds;

/// <summary>
/// Reads the <c>&lt;summary&gt;</c> of types and properties from an assembly's generated XML
/// documentation file (<c>GenerateDocumentationFile</c>), turned into plain text for CRD
/// descriptions: inline markup is reduced to its text and whitespace is collapsed.
/// </summary>
internal sealed class XmlDocumentation
{
    private static readonly ConcurrentDictionary<Assembly, XmlDocumentation> Cache = new();

    private readonly Dictionary<string, XElement> _members;

    private XmlDocumentation(string path, XDocument document)
    {
        Path = path;
        _members = document.Root?.Element("members")?.Elements("member")
            .Where(m => m.Attribute("name") is not null)
            .GroupBy(m => (string)m.Attribute("name")!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal)
            ?? new Dictionary<string, XElement>(StringComparer.Ordinal);
    }

    /// <summary>The documentation file that was read.</summary>
    public string Path { get; }

    /// <summary>Loads (once per assembly) the documentation file that sits next to the assembly.</summary>
    /// <param name="assembly">The assembly.</param>
    /// <returns>The documentation.</returns>
    /// <exception cref="FileNotFoundException">The assembly has no documentation file beside it.</exception>
    public static XmlDocumentation For(Assembly assembly) => Cache.GetOrAdd(assembly, Load);

    /// <summary>The plain-text summary of a type or property, or null when it has none.</summary>
    /// <param name="member">A type or property.</param>
    /// <returns>The summary text.</returns>
    public string? Summary(MemberInfo member)
    {
        var id = member switch
        {
            Type type => "T:" + TypeId(type),
            PropertyInfo property => "P:" + TypeId(property.DeclaringType!) + "." + property.Name,
            FieldInfo field => "F:" + TypeId(field.DeclaringType!) + "." + field.Name,
            _ => throw new ArgumentException($"Unsupported member kind {member.MemberType}.", nameof(member)),
        };
        return _members.TryGetValue(id, out var element) && element.Element("summary") is { } summary
            ? ToPlainText(summary)
            : null;
    }

    /// <summary>Turns a documentation element into plain text: one paragraph per <c>&lt;para&gt;</c>, whitespace collapsed.</summary>
    /// <param name="element">The element, e.g. a <c>&lt;summary&gt;</c>.</param>
    /// <returns>The text.</returns>
    internal static string ToPlainText(XElement element)
    {
        var paragraphs = new List<string>();
        var current = new StringBuilder();
        Append(element, current, paragraphs);
        Flush(current, paragraphs);
        return string.Join("\n\n", paragraphs);
    }

    private static XmlDocumentation Load(Assembly assembly)
    {
        var path = System.IO.Path.ChangeExtension(assembly.Location, ".xml");
        if (string.IsNullOrEmpty(assembly.Location) || !File.Exists(path))
        {
            throw new FileNotFoundException(
                $"The XML documentation of {assembly.GetName().Name} was not found next to the assembly ('{path}'). "
                + "CRD descriptions come from it: build with GenerateDocumentationFile and run from the build output.",
                path);
        }

        return new XmlDocumentation(path, XDocument.Load(path));
    }

    private static string TypeId(Type type) => (type.FullName ?? type.Name).Replace('+', '.');

    private static void Append(XElement element, StringBuilder current, List<string> paragraphs)
    {
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText text:
                    current.Append(text.Value);
                    break;
                case XElement { Name.LocalName: "para" } para:
                    Flush(current, paragraphs);
                    Append(para, current, paragraphs);
                    Flush(current, paragraphs);
                    break;
                case XElement { Name.LocalName: "see" or "seealso" } see:
                    current.Append(SeeText(see));
                    break;
                case XElement { Name.LocalName: "paramref" or "typeparamref" } reference:
                    current.Append((string?)reference.Attribute("name"));
                    break;
                case XElement other:
                    Append(other, current, paragraphs);
                    break;
            }
        }
    }

    private static string SeeText(XElement see)
    {
        if (!see.IsEmpty)
        {
            return see.Value;
        }

        if ((string?)see.Attribute("langword") is { } langword)
        {
            return langword;
        }

        if ((string?)see.Attribute("href") is { } href)
        {
            return href;
        }

        var cref = (string?)see.Attribute("cref") ?? string.Empty;
        var colon = cref.IndexOf(':', StringComparison.Ordinal);
        var name = colon >= 0 ? cref[(colon + 1)..] : cref;
        var paren = name.IndexOf('(', StringComparison.Ordinal);
        if (paren >= 0)
        {
            name = name[..paren];
        }

        var dot = name.LastIndexOf('.');
        return dot >= 0 ? name[(dot + 1)..] : name;
    }

    private static void Flush(StringBuilder current, List<string> paragraphs)
    {
        var text = string.Join(' ', current.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (text.Length > 0)
        {
            paragraphs.Add(text);
        }

        current.Clear();
    }
}
