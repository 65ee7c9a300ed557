using System.Collections.Frozen;
using Confluent.Kafka;

namespace Streaming.Kafka;

/// <summary>
/// The one place where Kafka client configurations are built. Delivery guarantees are fixed here,
/// not configurable: every producer is idempotent with acks=all and the Java-compatible partitioner;
/// every consumer commits explicitly, after its work is acknowledged, with cooperative-sticky assignment.
/// </summary>
public static class KafkaClientConfigs
{
    /// <summary>
    /// The Java client's default partitioner (murmur2 of the key; random for null keys), so a key
    /// lands on the same partition whichever client produced it: Java, Kafka Streams, kafkajs or ours.
    /// librdkafka's own default (consistent_random, CRC32) would scatter keys differently.
    /// </summary>
    public const Partitioner KeyPartitioner = Partitioner.Murmur2Random;

    /// <summary>librdkafka properties that carry the project's guarantees; <see cref="KafkaOptions.Overrides"/> may not change them.</summary>
    public static FrozenSet<string> Guaranteed { get; } = new[]
    {
        "enable.idempotence", "acks", "partitioner", "enable.auto.commit", "enable.auto.offset.store",
        "partition.assignment.strategy", "max.in.flight.requests.per.connection", "max.in.flight",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static ProducerConfig Producer(KafkaOptions options, string clientId)
    {
        ArgumentNullException.ThrowIfNull(options);
        var producer = options.Producer;
        var config = new ProducerConfig(Common(options, clientId))
        {
            EnableIdempotence = true,
            Acks = Acks.All,
            // Idempotence keeps order with up to 5 in-flight requests per connection.
            MaxInFlight = 5,
            Partitioner = KeyPartitioner,
            CompressionType = producer.Compression,
            LingerMs = producer.Linger.TotalMilliseconds,
            BatchSize = producer.BatchSizeBytes,
            MessageTimeoutMs = Milliseconds(producer.DeliveryTimeout),
            QueueBufferingMaxKbytes = producer.QueueBufferingMaxKbytes,
        };
        return WithOverrides(config, options);
    }

    public static ConsumerConfig Consumer(KafkaOptions options, string groupId, string clientId)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        var consumer = options.Consumer;
        var config = new ConsumerConfig(Common(options, clientId))
        {
            GroupId = groupId,
            // Offsets are committed by the application once state and outputs up to them are acknowledged.
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            AutoOffsetReset = consumer.AutoOffsetReset,
            IsolationLevel = consumer.IsolationLevel,
            SessionTimeoutMs = Milliseconds(consumer.SessionTimeout),
            HeartbeatIntervalMs = Milliseconds(consumer.HeartbeatInterval),
            MaxPollIntervalMs = Milliseconds(consumer.MaxPollInterval),
            FetchWaitMaxMs = Milliseconds(consumer.FetchMaxWait),
            GroupInstanceId = string.IsNullOrWhiteSpace(consumer.GroupInstanceId) ? null : consumer.GroupInstanceId,
            EnablePartitionEof = false,
        };
        return WithOverrides(config, options);
    }

    public static AdminClientConfig Admin(KafkaOptions options, string clientId)
    {
        ArgumentNullException.ThrowIfNull(options);
        return WithOverrides(new AdminClientConfig(Common(options, clientId)), options);
    }

    private static ClientConfig Common(KafkaOptions options, string clientId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        var security = options.Security;
        var config = new ClientConfig
        {
            BootstrapServers = options.BootstrapServers,
            ClientId = string.IsNullOrWhiteSpace(options.ClientIdPrefix) ? clientId : $"{options.ClientIdPrefix}-{clientId}",
            StatisticsIntervalMs = Milliseconds(options.StatisticsInterval),
            SecurityProtocol = security.Protocol,
            SaslMechanism = security.SaslMechanism,
            SaslUsername = security.SaslUsername,
            SaslPassword = security.SaslPassword,
            SslCaLocation = security.SslCaLocation,
            SslCertificateLocation = security.SslCertificateLocation,
            SslKeyLocation = security.SslKeyLocation,
            SslKeyPassword = security.SslKeyPassword,
            SslEndpointIdentificationAlgorithm = security.VerifyServerHostname
                ? SslEndpointIdentificationAlgorithm.Https
                : SslEndpointIdentificationAlgorithm.None,
        };
        return config;
    }

    private static T WithOverrides<T>(T config, KafkaOptions options)
        where T : ClientConfig
    {
        foreach (var (key, value) in options.Overrides)
        {
            // Validation reports this at start-up; the check stays here for options built in code.
            if (OverrideProblem(key) is { } problem)
            {
                throw new ArgumentException(problem, nameof(options));
            }

            config.Set(key, value);
        }

        return config;
    }

    /// <summary>Why <c>Kafka:Overrides:&lt;key&gt;</c> may not be set, or null when it may.</summary>
    internal static string? OverrideProblem(string key) =>
        Guaranteed.Contains(key) ? $"Kafka:Overrides:{key} cannot be set: the project's delivery guarantees fix it" : null;

    private static int Milliseconds(TimeSpan value) => checked((int)value.TotalMilliseconds);
}
