using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Streaming.Hosting.Configuration;

/// <summary>
/// Finds, before binding, the keys of a section that would not bind to an options type: keys
/// no property matches (typos) and values that do not convert to the property's type. The
/// binder reports only the first such problem, without the full key of an unknown one; this
/// reports all of them, each under its full key (e.g. <c>Kafka:Producer:LingerMs</c>).
/// </summary>
internal static class ConfigurationSectionChecker
{
    public static IReadOnlyList<string> FindProblems(IConfigurationSection section, Type optionsType)
    {
        var problems = new List<string>();
        CheckChildren(section, optionsType, problems);
        return problems;
    }

    private static void CheckChildren(IConfigurationSection section, Type type, List<string> problems)
    {
        if (ConfigurationShape.TryGetDictionaryValueType(type, out var valueType))
        {
            foreach (var entry in section.GetChildren())
            {
                CheckValue(entry, valueType, problems);
            }
        }
        else if (ConfigurationShape.TryGetElementType(type, out var elementType))
        {
            foreach (var element in section.GetChildren())
            {
                CheckValue(element, elementType, problems);
            }
        }
        else
        {
            var properties = ConfigurationShape.GetBindableProperties(type);
            foreach (var child in section.GetChildren())
            {
                if (properties.TryGetValue(child.Key, out var property))
                {
                    CheckValue(child, property.PropertyType, problems);
                }
                else
                {
                    problems.Add($"{child.Path}: not a known setting; known settings here: {string.Join(", ", properties.Keys.Order(StringComparer.Ordinal))}");
                }
            }
        }
    }

    private static void CheckValue(IConfigurationSection section, Type type, List<string> problems)
    {
        if (!ConfigurationShape.IsScalar(type))
        {
            CheckChildren(section, type, problems);
        }
        else if (section.Value is { } value && !Converts(value, type))
        {
            problems.Add($"{section.Path}: '{value}' is not a valid {Describe(type)}");
        }
    }

    // Mirrors the binder: an empty value means null for a nullable type, byte[] is base64,
    // everything else goes through the type's TypeConverter with the invariant culture.
    private static bool Converts(string value, Type type)
    {
        var nullableOf = Nullable.GetUnderlyingType(type);
        if (type == typeof(string) || type == typeof(object) || (nullableOf is not null && value.Length == 0))
        {
            return true;
        }

        if (type == typeof(byte[]))
        {
            return Convert.TryFromBase64String(value, new byte[value.Length], out _);
        }

        try
        {
            TypeDescriptor.GetConverter(nullableOf ?? type).ConvertFromInvariantString(value);
            return true;
        }
        catch (Exception)
        {
            // Converters signal a bad value with whatever exception type they like.
            return false;
        }
    }

    private static string Describe(Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target.IsEnum)
        {
            return $"{target.Name} (expected one of: {string.Join(", ", Enum.GetNames(target))})";
        }

        if (target == typeof(TimeSpan))
        {
            return "TimeSpan (expected [d.]hh:mm:ss[.fffffff], e.g. 00:00:30)";
        }

        return target == typeof(byte[]) ? "base64 string" : target.Name;
    }
}
