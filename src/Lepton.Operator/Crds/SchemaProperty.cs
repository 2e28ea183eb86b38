using System.Reflection;
using System.Text.Json.Serialization;

namespace Lepton.Operator.Crds;

/// <summary>
/// A property of an entity type as it appears in the CRD schema: its JSON name and CLR property.
/// Schema properties are the public read-write instance properties without <c>[JsonIgnore]</c>,
/// in declaration order.
/// </summary>
/// <param name="JsonName">The JSON name (from <c>[JsonPropertyName]</c>, else the camel-cased CLR name).</param>
/// <param name="Property">The CLR property.</param>
internal sealed record SchemaProperty(string JsonName, PropertyInfo Property)
{
    /// <summary>The schema properties of a type, in declaration order.</summary>
    /// <param name="type">The entity type.</param>
    /// <returns>The properties.</returns>
    public static IReadOnlyList<SchemaProperty> Of(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.CanWrite && p.GetIndexParameters().Length == 0)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is not { Condition: JsonIgnoreCondition.Always })
            .OrderBy(p => p.MetadataToken)
            .Select(p => new SchemaProperty(p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? CamelCase(p.Name), p))
            .ToList();

    /// <summary>Whether a type is a list (array or generic list/collection) and, if so, its item type.</summary>
    /// <param name="type">The type.</param>
    /// <param name="itemType">The item type.</param>
    /// <returns>True for list types.</returns>
    public static bool IsList(Type type, out Type itemType)
    {
        if (type.IsArray)
        {
            itemType = type.GetElementType()!;
            return true;
        }

        if (type != typeof(string) && type.IsGenericType && type.GetGenericArguments() is [var arg]
            && typeof(IEnumerable<>).MakeGenericType(arg).IsAssignableFrom(type))
        {
            itemType = arg;
            return true;
        }

        itemType = typeof(object);
        return false;
    }

    /// <summary>Whether a type is a string-keyed dictionary and, if so, its value type.</summary>
    /// <param name="type">The type.</param>
    /// <param name="valueType">The value type.</param>
    /// <returns>True for dictionaries.</returns>
    public static bool IsDictionary(Type type, out Type valueType)
    {
        if (type.IsGenericType && type.GetGenericArguments() is [var key, var value] && key == typeof(string)
            && typeof(IDictionary<,>).MakeGenericType(key, value).IsAssignableFrom(type))
        {
            valueType = value;
            return true;
        }

        valueType = typeof(object);
        return false;
    }

    private static string CamelCase(string name) =>
        name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
