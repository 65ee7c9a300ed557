using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streaming.EmbeddedKafka;
using Streaming.Kafka;
using Streaming.Topics;

namespace DevKafka;

/// <summary>
/// Owns the embedded cluster for the life of the process: creates the catalog's topics, then
/// publishes the bootstrap servers to a file (written atomically, so a reader never sees half of it)
/// and removes the file on the way out, so a stale address is never left behind by a clean stop.
/// </summary>
internal sealed partial class EmbeddedKafkaHost(IOptions<DevKafkaOptions> options, ILogger<EmbeddedKafkaHost> logger) : IHostedService, IDisposable
{
    private readonly DevKafkaOptions _options = options.Value;
    private MockCluster? _cluster;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Fails start-up with a message naming the loaded and required versions.
        var version = LibRdKafka.EnsureSupported();
        var catalog = string.IsNullOrWhiteSpace(_options.Catalog) ? TopicCatalog.LoadDefault() : TopicCatalog.Load(_options.Catalog);
        var bootstrapFile = Path.GetFullPath(_options.BootstrapFile);
        Directory.CreateDirectory(Path.GetDirectoryName(bootstrapFile)!);
        File.Delete(bootstrapFile);

        _cluster = MockCluster.Start(_options.Brokers);
        _cluster.SetGroupInitialRebalanceDelay(_options.GroupInitialRebalanceDelay);
        LogStarted(logger, _options.Brokers, _cluster.BootstrapServers, version);

        foreach (var topic in _cluster.CreateTopics(catalog))
        {
            LogTopicCreated(logger, topic.Name, topic.Partitions, topic.ReplicationFactor);
        }

        LogCatalogProvisioned(logger, catalog.Topics.Count, catalog.SourceName);
        WriteAtomically(bootstrapFile, _cluster.BootstrapServers);
        LogReady(logger, bootstrapFile);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        File.Delete(Path.GetFullPath(_options.BootstrapFile));
        _cluster?.Dispose();
        LogStopped(logger);
        return Task.CompletedTask;
    }

    public void Dispose() => _cluster?.Dispose();

    private static void WriteAtomically(string path, string content)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, content + "\n");
        File.Move(temporary, path, overwrite: true);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Embedded Kafka: {Brokers} brokers at {BootstrapServers} (librdkafka {Version} mock cluster: in memory, no Admin API, no compaction)")]
    private static partial void LogStarted(ILogger logger, int brokers, string bootstrapServers, Version version);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Topic {Topic}: {Partitions} partitions, replication factor {ReplicationFactor}")]
    private static partial void LogTopicCreated(ILogger logger, string topic, int partitions, short replicationFactor);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Created {Count} topics from {Catalog}")]
    private static partial void LogCatalogProvisioned(ILogger logger, int count, string catalog);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Bootstrap servers written to {BootstrapFile}; running until Ctrl-C")]
    private static partial void LogReady(ILogger logger, string bootstrapFile);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Embedded Kafka stopped")]
    private static partial void LogStopped(ILogger logger);
}
