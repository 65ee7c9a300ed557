using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Streaming.Hosting.Configuration;
using Streaming.Hosting.Health;

namespace Streaming.Hosting;

/// <summary>Registrations a service adds on top of <see cref="HostingExtensions.AddServiceDefaults"/>.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> from the configuration section at
    /// <paramref name="sectionPath"/> (e.g. <c>Kafka:Producer</c>) and validates it when the host
    /// starts: an unknown key, a value that does not convert, a DataAnnotations rule broken on
    /// the options or on any object nested in them, and a failure of any registered
    /// <see cref="IValidateOptions{TOptions}"/> stop start-up. Every problem is reported under
    /// its full configuration key; see <see cref="HostingExtensions.RunServiceAsync"/>.
    /// </summary>
    /// <returns>The options builder, to chain further configuration or validation.</returns>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string sectionPath)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionPath);
        var existing = services
            .Select(d => d.ImplementationInstance)
            .OfType<ValidatedSection>()
            .FirstOrDefault(s => s.OptionsType == typeof(TOptions));
        if (existing is not null)
        {
            throw new InvalidOperationException(
                $"{typeof(TOptions).Name} is already bound from configuration section '{existing.Path}'.");
        }

        services.AddSingleton(new ValidatedSection(typeof(TOptions), sectionPath));
        services.AddSingleton<IConfigureOptions<TOptions>>(provider =>
            new ConfigurationSectionBinder<TOptions>(provider.GetRequiredService<IConfiguration>().GetSection(sectionPath)));
        services.AddSingleton<IOptionsChangeTokenSource<TOptions>>(provider =>
            new ConfigurationChangeTokenSource<TOptions>(provider.GetRequiredService<IConfiguration>()));
        services.AddSingleton<IValidateOptions<TOptions>>(new ConfigurationKeyValidator<TOptions>(sectionPath));
        return services.AddOptions<TOptions>().ValidateOnStart();
    }

    /// <summary>
    /// Declares a condition the service must meet before <c>GET /readyz</c> succeeds; the
    /// component that meets it calls <see cref="ReadinessGate.Set"/> with the same name.
    /// </summary>
    public static IServiceCollection AddReadinessCondition(this IServiceCollection services, string condition)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(condition);
        services.AddSingleton(new ReadinessCondition(condition));
        return services;
    }
}
