using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Streaming.Kafka.Statistics;

/// <summary>Moves statistics reports from the sink's channel into <see cref="KafkaClientMetrics"/>, off the clients' threads.</summary>
internal sealed partial class KafkaStatisticsCollector(KafkaStatisticsSink sink, KafkaClientMetrics metrics, ILogger<KafkaStatisticsCollector> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var json in sink.Channel.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                metrics.Record(ClientStatisticsParser.Parse(json));
            }
            catch (JsonException ex)
            {
                LogUnreadableReport(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Unreadable librdkafka statistics report skipped")]
    private static partial void LogUnreadableReport(ILogger logger, Exception exception);
}
