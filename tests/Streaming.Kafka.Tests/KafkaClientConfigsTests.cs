using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace Streaming.Kafka.Tests;

public sealed class KafkaClientConfigsTests
{
    private static KafkaOptions Options() => new() { BootstrapServers = "broker:9092" };

    [Fact]
    public void Producer_Defaults_AreIdempotentAcksAllJavaPartitioner()
    {
        var config = KafkaClientConfigs.Producer(Options(), "ingest");

        Assert.True(config.EnableIdempotence);
        Assert.Equal(Acks.All, config.Acks);
        Assert.Equal(Partitioner.Murmur2Random, config.Partitioner);
        Assert.Equal(5, config.MaxInFlight);
        Assert.Equal(CompressionType.Zstd, config.CompressionType);
        Assert.Equal(5, config.LingerMs);
        Assert.Equal(120_000, config.MessageTimeoutMs);
        Assert.Equal("broker:9092", config.BootstrapServers);
        Assert.Equal("ingest", config.ClientId);
    }

    [Fact]
    public void Consumer_Defaults_CommitExplicitlyWithCooperativeSticky()
    {
        var config = KafkaClientConfigs.Consumer(Options(), "taker-volume", "processor");

        Assert.False(config.EnableAutoCommit);
        Assert.False(config.EnableAutoOffsetStore);
        Assert.Equal(PartitionAssignmentStrategy.CooperativeSticky, config.PartitionAssignmentStrategy);
        Assert.Equal(AutoOffsetReset.Earliest, config.AutoOffsetReset);
        Assert.Equal(IsolationLevel.ReadCommitted, config.IsolationLevel);
        Assert.Equal("taker-volume", config.GroupId);
        Assert.Equal(500, config.FetchWaitMaxMs);
        Assert.Null(config.GroupInstanceId);
    }

    [Fact]
    public void Producer_TuningOptions_AreApplied()
    {
        var options = Options();
        options.ClientIdPrefix = "ingest-0";
        options.StatisticsInterval = TimeSpan.FromSeconds(5);
        options.Producer.Compression = CompressionType.Lz4;
        options.Producer.Linger = TimeSpan.FromMilliseconds(20);
        options.Producer.DeliveryTimeout = TimeSpan.FromSeconds(30);

        var config = KafkaClientConfigs.Producer(options, "raw");

        Assert.Equal("ingest-0-raw", config.ClientId);
        Assert.Equal(5000, config.StatisticsIntervalMs);
        Assert.Equal(CompressionType.Lz4, config.CompressionType);
        Assert.Equal(20, config.LingerMs);
        Assert.Equal(30_000, config.MessageTimeoutMs);
    }

    [Fact]
    public void Common_SaslSslSecurity_IsMappedForProduction()
    {
        var options = Options();
        options.Security = new KafkaSecurityOptions
        {
            Protocol = SecurityProtocol.SaslSsl,
            SaslMechanism = SaslMechanism.ScramSha512,
            SaslUsername = "svc",
            SaslPassword = "secret",
            SslCaLocation = "/etc/kafka/ca.pem",
        };

        var config = KafkaClientConfigs.Admin(options, "provisioner");

        Assert.Equal(SecurityProtocol.SaslSsl, config.SecurityProtocol);
        Assert.Equal(SaslMechanism.ScramSha512, config.SaslMechanism);
        Assert.Equal("svc", config.SaslUsername);
        Assert.Equal("secret", config.SaslPassword);
        Assert.Equal("/etc/kafka/ca.pem", config.SslCaLocation);
        Assert.Equal(SslEndpointIdentificationAlgorithm.Https, config.SslEndpointIdentificationAlgorithm);
    }

    [Fact]
    public void Overrides_PlainKey_IsAppliedLast()
    {
        var options = Options();
        options.Overrides["socket.keepalive.enable"] = "true";
        options.Overrides["linger.ms"] = "50";

        var config = KafkaClientConfigs.Producer(options, "p");

        Assert.Equal("true", config.Get("socket.keepalive.enable"));
        Assert.Equal(50, config.LingerMs);
    }

    [Theory]
    [InlineData("acks")]
    [InlineData("enable.idempotence")]
    [InlineData("partitioner")]
    [InlineData("enable.auto.commit")]
    public void Overrides_GuaranteedKey_IsRejectedNamingTheKey(string key)
    {
        var options = Options();
        options.Overrides[key] = "1";

        var error = Assert.Throws<ArgumentException>(() => KafkaClientConfigs.Producer(options, "p"));
        Assert.Contains($"Kafka:Overrides:{key}", error.Message, StringComparison.Ordinal);

        var validation = new KafkaOptionsValidator().Validate(null, options);
        Assert.True(validation.Failed);
        Assert.Contains($"Kafka:Overrides:{key}", validation.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_SaslWithoutCredentials_NamesTheKeys()
    {
        var options = Options();
        options.Security.Protocol = SecurityProtocol.SaslSsl;

        var result = new KafkaOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Kafka:Security:SaslMechanism is required", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Kafka:Security:SaslUsername", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_MissingBootstrapServers_NamesTheKey()
    {
        var result = new KafkaOptionsValidator().Validate(null, new KafkaOptions());

        Assert.True(result.Failed);
        Assert.Contains("Kafka:BootstrapServers is required", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_HeartbeatNotShorterThanSession_NamesBothKeys()
    {
        var options = Options();
        options.Consumer.HeartbeatInterval = TimeSpan.FromSeconds(45);

        var result = new KafkaOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Kafka:Consumer:HeartbeatInterval", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Kafka:Consumer:SessionTimeout", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_Defaults_AreValid()
    {
        Assert.Equal(ValidateOptionsResult.Success, new KafkaOptionsValidator().Validate(null, Options()));
    }
}
