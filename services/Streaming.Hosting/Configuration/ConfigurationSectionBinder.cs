using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Streaming.Hosting.Configuration;

/// <summary>
/// Binds options from a configuration section, strictly: a key that matches no property or a
/// value that does not convert makes the options invalid. Such problems are raised as an
/// <see cref="OptionsValidationException"/>, like any other validation failure, so that start-up
/// reports them together with the other invalid options instead of stopping at the first one.
/// </summary>
internal sealed class ConfigurationSectionBinder<TOptions>(IConfigurationSection section) : IConfigureOptions<TOptions>
    where TOptions : class
{
    public void Configure(TOptions options)
    {
        var problems = ConfigurationSectionChecker.FindProblems(section, typeof(TOptions));
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), problems);
        }

        try
        {
            // The checker above mirrors the binder's rules; the binder stays strict too, so a
            // case the checker misses still fails rather than being silently ignored. Known
            // limit: until dotnet/runtime#119114 is fixed in the shipped runtime, the strict
            // binder rejects the key of a [ConfigurationKeyName] property (loudly, at start-up).
            section.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException exception)
        {
            throw new OptionsValidationException(
                Options.DefaultName, typeof(TOptions), [$"{section.Path}: {exception.Message}"]);
        }
    }
}
