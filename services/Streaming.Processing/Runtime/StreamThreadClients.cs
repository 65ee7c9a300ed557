using Confluent.Kafka;
using Streaming.Kafka;

namespace Streaming.Processing.Runtime;

/// <summary>
/// The Kafka clients of one stream thread, built with the project's guarantees (<see cref="KafkaClientConfigs"/>):
/// the group consumer of the driving topic, a consumer for the co-partitioned followers (assigned by hand to the
/// partitions of the tasks this instance owns, their offsets committed through the group consumer), a restore
/// consumer, and the producer (transactional under <see cref="ProcessingGuarantee.ExactlyOnceV2"/>).
/// </summary>
internal sealed class StreamThreadClients
{
    public required IConsumer<byte[]?, byte[]?> Main { get; init; }

    public IConsumer<byte[]?, byte[]?>? Followers { get; init; }

    public required IConsumer<byte[]?, byte[]?> Restore { get; init; }

    public required IProducer<byte[]?, byte[]?> Producer { get; init; }

    public AutoOffsetReset OffsetReset { get; init; } = AutoOffsetReset.Earliest;

    public static StreamThreadClients Create(KafkaClientFactory kafka, Topology.Topology topology, ProcessingOptions options, Func<IRebalanceListener> listener)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(options);
        var application = topology.ApplicationId;
        var client = $"{application}-{options.InstanceId}";
        var main = kafka.CreateConsumerBuilder<byte[]?, byte[]?>(application, client)
            .SetPartitionsAssignedHandler((_, partitions) => listener().OnAssigned(partitions))
            .SetPartitionsRevokedHandler((_, partitions) => listener().OnRevoked(partitions.ConvertAll(p => p.TopicPartition)))
            .SetPartitionsLostHandler((_, partitions) => listener().OnLost(partitions.ConvertAll(p => p.TopicPartition)))
            .Build();
        var followers = topology.Sources.Count > 1
            ? kafka.CreateConsumerBuilder<byte[]?, byte[]?>($"{application}-followers", client + "-followers").Build()
            : null;
        var restore = kafka.CreateConsumerBuilder<byte[]?, byte[]?>($"{application}-restore", client + "-restore").Build();
        var producer = kafka.CreateProducerBuilder<byte[]?, byte[]?>(client, config =>
        {
            // Delivery reports are read for their error, partition and offset only: marshalling keys, values and
            // headers back into .NET for every record cost ~0.8 µs and ~500 B per record (benchmark README).
            config.Set("dotnet.producer.delivery.report.fields", "status");
            if (options.Guarantee == ProcessingGuarantee.ExactlyOnceV2)
            {
                // One transactional id per instance; with KIP-447 the group metadata sent with the offsets fences zombies.
                config.TransactionalId = client;
                // librdkafka requires message.timeout.ms <= transaction.timeout.ms.
                config.TransactionTimeoutMs = Math.Max(60_000, config.MessageTimeoutMs ?? 0);
            }
        }).Build();
        return new StreamThreadClients
        {
            Main = main,
            Followers = followers,
            Restore = restore,
            Producer = producer,
            OffsetReset = kafka.Options.Consumer.AutoOffsetReset,
        };
    }
}
