using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Streaming.Hosting;
using Streaming.Kafka;

namespace Streaming.Processing.Hosting;

public static class ProcessingServiceCollectionExtensions
{
    /// <summary>
    /// Runs the topology <paramref name="topology"/> builds as a hosted service: options from the <c>Processing</c>
    /// section validated at start-up, metrics (meter <c>Streaming.Processing</c>), readiness once every task runs.
    /// </summary>
    public static IServiceCollection AddStreamProcessing(this IServiceCollection services, Func<IServiceProvider, Topology.Topology> topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        if (!services.Any(d => d.ServiceType == typeof(KafkaClientFactory)))
        {
            services.AddKafkaClients();
        }

        services.AddValidatedOptions<ProcessingOptions>(ProcessingOptions.SectionName);
        services.AddReadinessCondition(StreamProcessingService.ReadyCondition);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ProcessingMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(topology);
        services.AddHostedService<StreamProcessingService>();
        return services;
    }
}
