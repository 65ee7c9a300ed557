using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Streaming.Kafka;

/// <summary>Stops start-up with a clear error when librdkafka is missing or too old.</summary>
internal sealed class LibRdKafkaStartupCheck(ILogger<LibRdKafkaStartupCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var version = LibRdKafka.EnsureSupported();
        var path = LibRdKafka.LoadedFrom() ?? "(unknown)";
        KafkaLog.LibRdKafkaLoaded(logger, version, path, LibRdKafka.MinimumVersion);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
