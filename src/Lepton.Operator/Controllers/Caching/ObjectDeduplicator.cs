using System.Collections;
using System.Reflection;
using k8s.Models;

namespace Lepton.Operator.Controllers.Caching;

/// <summary>
/// Makes equal strings and resource quantities of cached objects share one instance. Thousands of pods
/// repeat the same image names, label keys, env names, condition types, volume paths and quantities; as
/// separate UTF-16 strings they cost more than the rest of the object. Walks the object graph (Kubernetes
/// model classes and CRD classes) once, on insert. The pools are bounded: when one fills up it is cleared,
/// so unique strings (names, UIDs) never accumulate; objects already cached keep what they share.
/// Not thread-safe: one instance per informer (its single loop).
/// </summary>
internal sealed class ObjectDeduplicator(int capacity)
{
    private const int MaxPooledLength = 256;
    private const int MaxDepth = 64;

    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ResourceQuantity> _quantities = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, PropertyInfo[]> _properties = [];

    public T Deduplicate<T>(T obj)
        where T : class
    {
        Visit(obj, 0);
        return obj;
    }

    private static bool IsModel(Type type)
        => type.IsClass
            && !type.IsArray
            && type != typeof(string)
            && !typeof(Delegate).IsAssignableFrom(type)
            && type.Namespace is { } ns
            && !ns.StartsWith("System", StringComparison.Ordinal)
            && !ns.StartsWith("Microsoft", StringComparison.Ordinal);

    private void Visit(object obj, int depth)
    {
        if (depth > MaxDepth)
        {
            return;
        }

        foreach (var property in Properties(obj.GetType()))
        {
            var value = property.GetValue(obj);
            switch (value)
            {
                case null:
                    break;
                case string s:
                    SetIfWritable(property, obj, s, Pool(s));
                    break;
                case ResourceQuantity q:
                    SetIfWritable(property, obj, q, Pool(q));
                    break;
                case IDictionary<string, string> map when property.CanWrite:
                    property.SetValue(obj, PoolMap(map));
                    break;
                case IDictionary<string, ResourceQuantity> map when property.CanWrite:
                    property.SetValue(obj, PoolMap(map));
                    break;
                case IList<string> list when !list.IsReadOnly:
                    for (var i = 0; i < list.Count; i++)
                    {
                        if (list[i] is { } item)
                        {
                            list[i] = Pool(item);
                        }
                    }

                    break;
                case IEnumerable items and not IDictionary:
                    foreach (var item in items)
                    {
                        if (item is not null && IsModel(item.GetType()))
                        {
                            Visit(item, depth + 1);
                        }
                    }

                    break;
                default:
                    if (IsModel(value.GetType()))
                    {
                        Visit(value, depth + 1);
                    }

                    break;
            }
        }
    }

    private static void SetIfWritable<TValue>(PropertyInfo property, object obj, TValue current, TValue pooled)
        where TValue : class
    {
        if (!ReferenceEquals(current, pooled) && property.CanWrite)
        {
            property.SetValue(obj, pooled);
        }
    }

    private Dictionary<string, string> PoolMap(IDictionary<string, string> map)
    {
        var pooled = new Dictionary<string, string>(map.Count, StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            pooled[Pool(key)] = value is null ? null! : Pool(value);
        }

        return pooled;
    }

    private Dictionary<string, ResourceQuantity> PoolMap(IDictionary<string, ResourceQuantity> map)
    {
        var pooled = new Dictionary<string, ResourceQuantity>(map.Count, StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            pooled[Pool(key)] = value is null ? null! : Pool(value);
        }

        return pooled;
    }

    private string Pool(string s)
    {
        if (s.Length > MaxPooledLength)
        {
            return s;
        }

        if (_strings.TryGetValue(s, out var pooled))
        {
            return pooled;
        }

        if (_strings.Count >= capacity)
        {
            _strings.Clear();
        }

        _strings.Add(s, s);
        return s;
    }

    private ResourceQuantity Pool(ResourceQuantity q)
    {
        // ResourceQuantity is immutable (private setters), so equal quantities can share one instance.
        var key = q.ToString();
        if (_quantities.TryGetValue(key, out var pooled))
        {
            return pooled;
        }

        if (_quantities.Count >= capacity)
        {
            _quantities.Clear();
        }

        _quantities.Add(key, q);
        return q;
    }

    private PropertyInfo[] Properties(Type type)
    {
        if (!_properties.TryGetValue(type, out var properties))
        {
            properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanRead && p.GetMethod!.IsPublic && p.GetIndexParameters().Length == 0)
                .ToArray();
            _properties.Add(type, properties);
        }

        return properties;
    }
}
