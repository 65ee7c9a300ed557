using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Streaming.Hosting;
using Streaming.Kafka.Statistics;

namespace Streaming.Kafka;

public static class KafkaServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Kafka client factory, the librdkafka start-up check and client statistics
    /// metrics. Binds and validates <see cref="KafkaOptions"/> from the <c>Kafka</c> section at start-up.
    /// </summary>
    public static IServiceCollection AddKafkaClients(this IServiceCollection services)
    {
        services.AddValidatedOptions<KafkaOptions>(KafkaOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaOptions>, KafkaOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<KafkaStatisticsSink>();
        services.TryAddSingleton<KafkaClientMetrics>();
        services.TryAddSingleton<KafkaClientFactory>();
        services.AddHostedService<LibRdKafkaStartupCheck>();
        services.AddHostedService<KafkaStatisticsCollector>();
        return services;
    }
}
