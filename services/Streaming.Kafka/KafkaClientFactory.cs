using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streaming.Kafka.Statistics;

namespace Streaming.Kafka;

/// <summary>
/// Creates Kafka client builders with the project's configuration (<see cref="KafkaClientConfigs"/>),
/// librdkafka's logs routed to ILogger, and statistics routed to metrics. Callers add serializers
/// and their own handlers, then build.
/// </summary>
public sealed class KafkaClientFactory(IOptions<KafkaOptions> options, KafkaStatisticsSink statistics, ILogger<KafkaClientFactory> logger)
{
    private readonly KafkaOptions _options = options.Value;

    public KafkaOptions Options => _options;

    public ProducerBuilder<TKey, TValue> CreateProducerBuilder<TKey, TValue>(string clientId) =>
        CreateProducerBuilder<TKey, TValue>(clientId, static _ => { });

    /// <summary>A producer builder whose configuration <paramref name="configure"/> may extend (e.g. a transactional.id); the guarantees stay.</summary>
    public ProducerBuilder<TKey, TValue> CreateProducerBuilder<TKey, TValue>(string clientId, Action<ProducerConfig> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var config = KafkaClientConfigs.Producer(_options, clientId);
        configure(config);
        return new ProducerBuilder<TKey, TValue>(config)
            .SetLogHandler((_, m) => KafkaLog.LibRdKafka(logger, m))
            .SetErrorHandler((_, e) => KafkaLog.ClientError(logger, e))
            .SetStatisticsHandler((_, json) => statistics.Post(json));
    }

    public ConsumerBuilder<TKey, TValue> CreateConsumerBuilder<TKey, TValue>(string groupId, string clientId) =>
        new ConsumerBuilder<TKey, TValue>(KafkaClientConfigs.Consumer(_options, groupId, clientId))
            .SetLogHandler((_, m) => KafkaLog.LibRdKafka(logger, m))
            .SetErrorHandler((_, e) => KafkaLog.ClientError(logger, e))
            .SetStatisticsHandler((_, json) => statistics.Post(json));

    public AdminClientBuilder CreateAdminClientBuilder(string clientId) =>
        new AdminClientBuilder(KafkaClientConfigs.Admin(_options, clientId))
            .SetLogHandler((_, m) => KafkaLog.LibRdKafka(logger, m))
            .SetErrorHandler((_, e) => KafkaLog.ClientError(logger, e));
}
