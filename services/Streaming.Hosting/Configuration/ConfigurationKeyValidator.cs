using Microsoft.Extensions.Options;

namespace Streaming.Hosting.Configuration;

/// <summary>
/// Runs <see cref="DataAnnotationsKeyValidator"/> on the options bound from
/// <paramref name="sectionPath"/>.
/// </summary>
internal sealed class ConfigurationKeyValidator<TOptions>(string sectionPath) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        if (name != Options.DefaultName)
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = DataAnnotationsKeyValidator.Validate(options, sectionPath);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
