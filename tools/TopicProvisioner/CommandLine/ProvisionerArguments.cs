using Confluent.Kafka;
using Streaming.Kafka;
using Streaming.Topics.Provisioning;

namespace TopicProvisioner.CommandLine;

/// <summary>
/// What the command line asked for. A null <c>CatalogPath</c> means the catalog embedded in
/// Streaming.Topics; a null <c>MaxReplicationFactor</c> keeps the catalog's replication factors.
/// </summary>
internal sealed record ProvisionerArguments(
    string BootstrapServers,
    string? CatalogPath,
    ProvisionMode Mode,
    UnmanagedConfigPolicy UnmanagedConfigs,
    short? MaxReplicationFactor,
    TimeSpan RequestTimeout,
    KafkaSecurity Security)
{
    /// <summary>Through <see cref="KafkaClientConfigs"/>, the one place client settings are mapped, as for every service.</summary>
    public AdminClientConfig ToAdminClientConfig()
    {
        var options = new KafkaOptions
        {
            BootstrapServers = BootstrapServers,
            StatisticsInterval = TimeSpan.Zero,
            Security = new KafkaSecurityOptions
            {
                Protocol = Security.Protocol ?? SecurityProtocol.Plaintext,
                SaslMechanism = Security.SaslMechanism,
                SaslUsername = Security.SaslUsername,
                SaslPassword = Security.SaslPassword,
                SslCaLocation = Security.SslCaLocation,
            },
        };
        var config = KafkaClientConfigs.Admin(options, "topic-provisioner");
        config.SocketTimeoutMs = (int)RequestTimeout.TotalMilliseconds;
        return config;
    }
}

/// <summary>How to connect to a secured cluster; all optional (plaintext when absent).</summary>
internal sealed record KafkaSecurity(
    SecurityProtocol? Protocol,
    SaslMechanism? SaslMechanism,
    string? SaslUsername,
    string? SaslPassword,
    string? SslCaLocation)
{
    // Records print every member; a password must never reach a log.
    public override string ToString() =>
        $"KafkaSecurity {{ Protocol = {Protocol}, SaslMechanism = {SaslMechanism}, SaslUsername = {SaslUsername}, " +
        $"SaslPassword = {(SaslPassword is null ? "" : "***")}, SslCaLocation = {SslCaLocation} }}";
}
