using System.ComponentModel;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Streaming.Hosting.Configuration;

/// <summary>
/// How the configuration binder sees a type: a scalar read from one value, a dictionary or a
/// collection whose children are its entries, or an object whose children are its properties.
/// Shared by the pre-binding check and the validator so both walk options the way they were bound.
/// </summary>
internal static class ConfigurationShape
{
    /// <summary>Types bound from a single string value (what the binder converts with a TypeConverter).</summary>
    public static bool IsScalar(Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        return target == typeof(string)
            || target == typeof(object)
            || target == typeof(byte[])
            || TypeDescriptor.GetConverter(target).CanConvertFrom(typeof(string));
    }

    /// <summary>The value type of a dictionary keyed by string (or convertible from it).</summary>
    public static bool TryGetDictionaryValueType(Type type, out Type valueType)
    {
        var dictionary = FindGenericInterface(type, typeof(IDictionary<,>))
            ?? FindGenericInterface(type, typeof(IReadOnlyDictionary<,>));
        valueType = dictionary?.GetGenericArguments()[1]!;
        return dictionary is not null;
    }

    /// <summary>The element type of an array or a collection (dictionaries excluded).</summary>
    public static bool TryGetElementType(Type type, out Type elementType)
    {
        if (type.IsArray)
        {
            elementType = type.GetElementType()!;
            return true;
        }

        var enumerable = type == typeof(string) ? null : FindGenericInterface(type, typeof(IEnumerable<>));
        elementType = enumerable?.GetGenericArguments()[0]!;
        return enumerable is not null;
    }

    /// <summary>
    /// The properties the binder can bind, by configuration key (the property name unless
    /// <see cref="ConfigurationKeyNameAttribute"/> renames it), compared case-insensitively as
    /// configuration keys are.
    /// </summary>
    public static IReadOnlyDictionary<string, PropertyInfo> GetBindableProperties(Type type)
    {
        var properties = new Dictionary<string, PropertyInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetMethod is { IsPublic: true } && property.GetIndexParameters().Length == 0)
            {
                properties.TryAdd(GetKey(property), property);
            }
        }

        return properties;
    }

    private static string GetKey(PropertyInfo property) =>
        property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;

    private static Type? FindGenericInterface(Type type, Type definition)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == definition)
        {
            return type;
        }

        return Array.Find(type.GetInterfaces(), i => i.IsGenericType && i.GetGenericTypeDefinition() == definition);
    }
}
