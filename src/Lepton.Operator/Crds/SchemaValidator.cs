using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Lepton.Operator.Crds.Attributes;
using Lepton.Operator.Entities;

namespace Lepton.Operator.Crds;

/// <summary>
/// Checks an entity object against the same schema attributes the CRD is generated from
/// (required, enum, ranges, lengths, patterns, item constraints, set uniqueness, duration format),
/// reporting violations in the API server's words. CEL rules are not evaluated here: each entity's
/// validator mirrors its rules in C#.
/// </summary>
internal static class SchemaValidator
{
    private static readonly ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);

    /// <summary>Validates an object of an entity class and, recursively, its nested entity objects.</summary>
    /// <param name="value">The object.</param>
    /// <param name="path">Its field path, e.g. <c>spec</c>.</param>
    /// <param name="violations">Where violations are added.</param>
    public static void Validate(object value, string path, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(value);
        var entityAssembly = value.GetType().Assembly;
        foreach (var property in SchemaProperty.Of(value.GetType()))
        {
            var fieldPath = $"{path}.{property.JsonName}";
            var info = property.Property;
            var fieldValue = info.GetValue(value);
            if (fieldValue is null || (fieldValue is string { Length: 0 } && info.GetCustomAttribute<RequiredAttribute>() is not null))
            {
                if (info.GetCustomAttribute<RequiredAttribute>() is not null)
                {
                    violations.Add(new FieldViolation(fieldPath, "Required value"));
                }

                continue;
            }

            switch (fieldValue)
            {
                case string text:
                    CheckString(text, fieldPath, info, violations);
                    break;
                case int or long:
                    CheckRange(Convert.ToInt64(fieldValue, CultureInfo.InvariantCulture), fieldPath, info, violations);
                    break;
                case IEnumerable items when fieldValue is not IDictionary:
                    CheckList(items.Cast<object?>().ToList(), fieldPath, info, entityAssembly, violations);
                    break;
                default:
                    if (fieldValue.GetType().Assembly == entityAssembly && fieldValue.GetType().IsClass)
                    {
                        Validate(fieldValue, fieldPath, violations);
                    }

                    break;
            }
        }
    }

    private static void CheckString(string text, string path, PropertyInfo info, List<FieldViolation> violations)
    {
        if (info.GetCustomAttribute<EnumValuesAttribute>() is { } allowed && !allowed.Values.Contains(text, StringComparer.Ordinal))
        {
            violations.Add(new FieldViolation(
                path, $"Unsupported value: {Quote(text)}: supported values: {string.Join(", ", allowed.Values.Select(Quote))}"));
            return;
        }

        if (info.GetCustomAttribute<LengthAttribute>() is { } length)
        {
            if (length.MinLength >= 0 && text.Length < length.MinLength)
            {
                violations.Add(new FieldViolation(path, $"Invalid value: {Quote(text)}: should be at least {length.MinLength} chars long"));
                return;
            }

            if (length.MaxLength >= 0 && text.Length > length.MaxLength)
            {
                violations.Add(new FieldViolation(path, $"Too long: may not be more than {length.MaxLength} characters"));
                return;
            }
        }

        if (info.GetCustomAttribute<PatternAttribute>() is { } pattern && !Matches(pattern.Pattern, text))
        {
            violations.Add(new FieldViolation(path, $"Invalid value: {Quote(text)}: should match '{pattern.Pattern}'"));
            return;
        }

        if (info.GetCustomAttribute<FormatAttribute>()?.Format == FormatAttribute.Duration && !GoDuration.TryParse(text, out _))
        {
            violations.Add(new FieldViolation(path, $"Invalid value: {Quote(text)}: must be a duration such as 90m, 1h30m or 2.5h"));
        }
    }

    private static void CheckRange(long number, string path, PropertyInfo info, List<FieldViolation> violations)
    {
        if (info.GetCustomAttribute<RangeMinimumAttribute>() is { } minimum && number < minimum.Minimum)
        {
            violations.Add(new FieldViolation(
                path, string.Create(CultureInfo.InvariantCulture, $"Invalid value: {number}: should be greater than or equal to {minimum.Minimum}")));
        }

        if (info.GetCustomAttribute<RangeMaximumAttribute>() is { } maximum && number > maximum.Maximum)
        {
            violations.Add(new FieldViolation(
                path, string.Create(CultureInfo.InvariantCulture, $"Invalid value: {number}: should be less than or equal to {maximum.Maximum}")));
        }
    }

    private static void CheckList(
        List<object?> items, string path, PropertyInfo info, Assembly entityAssembly, List<FieldViolation> violations)
    {
        if (info.GetCustomAttribute<ItemsAttribute>() is { } constraints)
        {
            if (constraints.MinItems >= 0 && items.Count < constraints.MinItems)
            {
                violations.Add(new FieldViolation(
                    path, string.Create(CultureInfo.InvariantCulture, $"Invalid value: {items.Count}: should have at least {constraints.MinItems} items")));
            }

            if (constraints.MaxItems >= 0 && items.Count > constraints.MaxItems)
            {
                violations.Add(new FieldViolation(
                    path, string.Create(CultureInfo.InvariantCulture, $"Too many: {items.Count}: must have at most {constraints.MaxItems} items")));
            }

            for (var i = 0; i < items.Count; i++)
            {
                if (items[i] is not string item)
                {
                    continue;
                }

                var itemPath = string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]");
                if (constraints.ItemMinLength >= 0 && item.Length < constraints.ItemMinLength)
                {
                    violations.Add(new FieldViolation(itemPath, $"Invalid value: {Quote(item)}: should be at least {constraints.ItemMinLength} chars long"));
                }
                else if (constraints.ItemMaxLength >= 0 && item.Length > constraints.ItemMaxLength)
                {
                    violations.Add(new FieldViolation(itemPath, $"Too long: may not be more than {constraints.ItemMaxLength} characters"));
                }
                else if (constraints.ItemPattern is not null && !Matches(constraints.ItemPattern, item))
                {
                    violations.Add(new FieldViolation(itemPath, $"Invalid value: {Quote(item)}: should match '{constraints.ItemPattern}'"));
                }
            }
        }

        if (info.GetCustomAttribute<ListTypeAttribute>()?.ListType == ListTypeAttribute.Set)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i] is string item && !seen.Add(item))
                {
                    violations.Add(new FieldViolation(string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"), $"Duplicate value: {Quote(item)}"));
                }
            }
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is { } item && item.GetType().Assembly == entityAssembly && item.GetType().IsClass)
            {
                Validate(item, string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"), violations);
            }
        }
    }

    private static bool Matches(string pattern, string text) =>
        Patterns.GetOrAdd(pattern, p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))).IsMatch(text);

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
