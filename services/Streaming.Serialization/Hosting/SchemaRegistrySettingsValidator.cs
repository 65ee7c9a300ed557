using Microsoft.Extensions.Options;

namespace Streaming.Serialization;

/// <summary>Cross-field rules of <see cref="SchemaRegistrySettings"/>; each message names its configuration key.</summary>
public sealed class SchemaRegistrySettingsValidator : IValidateOptions<SchemaRegistrySettings>
{
    public ValidateOptionsResult Validate(string? name, SchemaRegistrySettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Section = SchemaRegistrySettings.SectionName;
        var failures = new List<string>();

        if (options.Url is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add($"{Section}:Url must be an absolute http or https URL (was '{url}')");
        }

        if (string.IsNullOrEmpty(options.BasicAuthUser) != string.IsNullOrEmpty(options.BasicAuthPassword))
        {
            failures.Add($"{Section}:BasicAuthUser and {Section}:BasicAuthPassword must be set together");
        }

        if (string.IsNullOrEmpty(options.ClientCertificatePath) != string.IsNullOrEmpty(options.ClientKeyPath))
        {
            failures.Add($"{Section}:ClientCertificatePath and {Section}:ClientKeyPath must be set together");
        }

        foreach (var (key, path) in new[]
        {
            ("CaCertificatePath", options.CaCertificatePath),
            ("ClientCertificatePath", options.ClientCertificatePath),
            ("ClientKeyPath", options.ClientKeyPath),
        })
        {
            if (!string.IsNullOrEmpty(path) && !File.Exists(path))
            {
                failures.Add($"{Section}:{key}: file '{path}' does not exist");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
