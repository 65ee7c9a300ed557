using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Streaming.Hosting;

namespace Streaming.Serialization;

public static class SerializationServiceCollectionExtensions
{
    /// <summary>Registers <see cref="ProtobufSerdes"/> with <see cref="SchemaRegistrySettings"/> bound and validated at start-up.</summary>
    public static IServiceCollection AddProtobufSerdes(this IServiceCollection services)
    {
        services.AddValidatedOptions<SchemaRegistrySettings>(SchemaRegistrySettings.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SchemaRegistrySettings>, SchemaRegistrySettingsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ProtobufSerdes>();
        return services;
    }
}
