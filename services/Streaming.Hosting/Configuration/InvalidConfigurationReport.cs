using Microsoft.Extensions.Options;

namespace Streaming.Hosting.Configuration;

/// <summary>
/// Turns the exception that stopped start-up into one line per configuration problem, each
/// naming a configuration key, or reports that the exception is not about configuration.
/// </summary>
internal static class InvalidConfigurationReport
{
    public static bool TryCreate(Exception exception, IEnumerable<ValidatedSection> sections, out IReadOnlyList<string> failures)
    {
        var validationErrors = exception switch
        {
            OptionsValidationException single => [single],
            AggregateException aggregate when aggregate.InnerExceptions.All(e => e is OptionsValidationException) =>
                aggregate.InnerExceptions.Cast<OptionsValidationException>().ToList(),
            _ => new List<OptionsValidationException>(),
        };

        var pathsByType = sections.DistinctBy(s => s.OptionsType).ToDictionary(s => s.OptionsType, s => s.Path);
        failures = [.. validationErrors.SelectMany(e => e.Failures.Select(f => Locate(f, e.OptionsType, pathsByType)))];
        return failures.Count > 0;
    }

    // Failures from this library already start with their full key. Those of a service's own
    // IValidateOptions may not: prefixing the section at least says where to look.
    private static string Locate(string failure, Type optionsType, Dictionary<Type, string> pathsByType) =>
        pathsByType.TryGetValue(optionsType, out var path) && !failure.StartsWith(path, StringComparison.OrdinalIgnoreCase)
            ? $"{path}: {failure}"
            : failure;
}
