using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;

namespace Streaming.Hosting.Configuration;

/// <summary>
/// Validates the DataAnnotations of an options object and of every object nested in it
/// (properties, collection elements, dictionary values), reporting each failure under the full
/// configuration key it was bound from, e.g.
/// <c>Kafka:Producer:LingerMs: The field LingerMs must be between 0 and 60000 (was 99999).</c>
/// The stock validator names only the C# member, which does not tell an operator what to fix.
/// </summary>
internal static class DataAnnotationsKeyValidator
{
    public static IReadOnlyList<string> Validate(object options, string sectionPath)
    {
        var failures = new List<string>();
        ValidateObject(options, sectionPath, failures, new HashSet<object>(ReferenceEqualityComparer.Instance));
        return failures;
    }

    private static void ValidateObject(object instance, string path, List<string> failures, HashSet<object> visited)
    {
        if (!visited.Add(instance))
        {
            return;
        }

        foreach (var (key, property) in ConfigurationShape.GetBindableProperties(instance.GetType()))
        {
            var propertyPath = $"{path}:{key}";
            var value = property.GetValue(instance);
            var context = new ValidationContext(instance) { MemberName = property.Name, DisplayName = key };
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateProperty(value, context, results))
            {
                failures.AddRange(results.Select(r => Describe(propertyPath, r.ErrorMessage, value)));
            }

            ValidateNested(value, propertyPath, failures, visited);
        }

        ValidateObjectLevel(instance, path, failures);
    }

    private static void ValidateNested(object? value, string path, List<string> failures, HashSet<object> visited)
    {
        if (value is null || ConfigurationShape.IsScalar(value.GetType()))
        {
            return;
        }

        switch (value)
        {
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    ValidateNested(entry.Value, $"{path}:{entry.Key}", failures, visited);
                }

                break;
            case IEnumerable elements:
                var index = 0;
                foreach (var element in elements)
                {
                    ValidateNested(element, $"{path}:{index++}", failures, visited);
                }

                break;
            default:
                ValidateObject(value, path, failures, visited);
                break;
        }
    }

    // Class-level attributes and IValidatableObject: rules spanning several properties.
    private static void ValidateObjectLevel(object instance, string path, List<string> failures)
    {
        var context = new ValidationContext(instance);
        foreach (var attribute in instance.GetType().GetCustomAttributes<ValidationAttribute>(inherit: true))
        {
            if (attribute.GetValidationResult(instance, context) is { } result)
            {
                failures.Add(Describe(path, result));
            }
        }

        if (instance is IValidatableObject validatable)
        {
            failures.AddRange(validatable.Validate(context)
                .Where(r => r != ValidationResult.Success)
                .Select(r => Describe(path, r)));
        }
    }

    private static string Describe(string path, ValidationResult result)
    {
        var members = result.MemberNames.ToList();
        var where = members.Count == 0 ? path : string.Join(", ", members.Select(m => $"{path}:{m}"));
        return $"{where}: {result.ErrorMessage}";
    }

    private static string Describe(string path, string? message, object? value) =>
        $"{path}: {message?.TrimEnd('.')}{DescribeValue(value)}.";

    // Strings are not echoed: they may be credentials, and the key already says where to look.
    private static string DescribeValue(object? value) =>
        value is null or string || !ConfigurationShape.IsScalar(value.GetType())
            ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $" (was {value})");
}
