using System.ComponentModel.DataAnnotations;
using Confluent.Kafka;

namespace Streaming.Kafka;

/// <summary>
/// Connection and tuning settings of every Kafka client a service creates (configuration section
/// <c>Kafka</c>). Delivery guarantees are not options: see <see cref="KafkaClientConfigs"/>.
/// </summary>
public sealed class KafkaOptions
{
    public const string SectionName = "Kafka";

    /// <summary>Comma-separated host:port list.</summary>
    [Required]
    public string BootstrapServers { get; set; } = string.Empty;

    /// <summary>Prefix of every client.id; the pod name is a good value in Kubernetes.</summary>
    public string? ClientIdPrefix { get; set; }

    public KafkaSecurityOptions Security { get; set; } = new();

    public KafkaProducerOptions Producer { get; set; } = new();

    public KafkaConsumerOptions Consumer { get; set; } = new();

    /// <summary>How often librdkafka emits statistics (exported as metrics); zero disables them.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan StatisticsInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Raw librdkafka properties applied last, for settings this class does not name. The keys
    /// that carry the project's guarantees cannot be overridden (see <see cref="KafkaClientConfigs.Guaranteed"/>).
    /// </summary>
    public Dictionary<string, string> Overrides { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>TLS and SASL settings (section <c>Kafka:Security</c>); plaintext by default for local development.</summary>
public sealed class KafkaSecurityOptions
{
    public SecurityProtocol Protocol { get; set; } = SecurityProtocol.Plaintext;

    /// <summary>Required with SASL protocols; SCRAM-SHA-512 is the usual choice on self-managed clusters.</summary>
    public SaslMechanism? SaslMechanism { get; set; }

    public string? SaslUsername { get; set; }

    public string? SaslPassword { get; set; }

    /// <summary>PEM file of the CA that signed the brokers' certificates; the system store when empty.</summary>
    public string? SslCaLocation { get; set; }

    /// <summary>Client certificate and key for mutual TLS.</summary>
    public string? SslCertificateLocation { get; set; }

    public string? SslKeyLocation { get; set; }

    public string? SslKeyPassword { get; set; }

    /// <summary>Checks that the broker's certificate names the host connected to.</summary>
    public bool VerifyServerHostname { get; set; } = true;
}

/// <summary>Producer tuning (section <c>Kafka:Producer</c>).</summary>
public sealed class KafkaProducerOptions
{
    /// <summary>
    /// zstd, as the topics' compression.type in deploy/topics.yaml: brokers then store batches as
    /// sent instead of recompressing them. At Binance's rates (a few MB/s) its CPU cost is negligible.
    /// </summary>
    public CompressionType Compression { get; set; } = CompressionType.Zstd;

    /// <summary>How long a batch waits for more records: latency against throughput.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05")]
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(5);

    [Range(1024, 64 * 1024 * 1024)]
    public int BatchSizeBytes { get; set; } = 1_000_000;

    /// <summary>
    /// How long librdkafka keeps retrying a record before reporting it undeliverable (message.timeout.ms).
    /// Undeliverable records are the caller's to count and report; nothing is dropped silently.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Bound of the producer's local queue: beyond it, produce calls see back-pressure.</summary>
    [Range(1024, 1024 * 1024 * 1024)]
    public int QueueBufferingMaxKbytes { get; set; } = 256 * 1024;
}

/// <summary>Consumer tuning (section <c>Kafka:Consumer</c>).</summary>
public sealed class KafkaConsumerOptions
{
    /// <summary>Where a group without committed offsets starts: earliest, so nothing is skipped.</summary>
    public AutoOffsetReset AutoOffsetReset { get; set; } = AutoOffsetReset.Earliest;

    /// <summary>read_committed hides aborted transactional records on real Kafka (the embedded broker ignores it).</summary>
    public IsolationLevel IsolationLevel { get; set; } = IsolationLevel.ReadCommitted;

    [Range(typeof(TimeSpan), "00:00:03", "00:30:00")]
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(45);

    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(3);

    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// fetch.wait.max.ms: how long a broker may hold a fetch that finds no data. Apache Kafka answers
    /// as soon as data arrives, so this costs no latency there; the embedded broker holds the fetch
    /// for the whole wait, so development runs lower it (see README "Embedded Kafka").
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:30")]
    public TimeSpan FetchMaxWait { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Static membership (KIP-345): a restarted pod with the same id keeps its partitions without a rebalance.</summary>
    public string? GroupInstanceId { get; set; }
}
