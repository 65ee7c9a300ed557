using System.Threading.Channels;

namespace Streaming.Kafka.Statistics;

/// <summary>
/// Hand-off of statistics reports from librdkafka's callback threads: a non-blocking write into a
/// small bounded channel that drops the oldest report when the reader falls behind (a newer report
/// supersedes it), so a slow metrics path can never stall a Kafka client.
/// </summary>
public sealed class KafkaStatisticsSink
{
    private const int Capacity = 256;
    private long _dropped;

    public KafkaStatisticsSink()
    {
        Channel = System.Threading.Channels.Channel.CreateBounded<string>(
            new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    /// <summary>Reports dropped because the reader fell behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal Channel<string> Channel { get; }

    /// <summary>Called from librdkafka's statistics callback; never blocks.</summary>
    public void Post(string statisticsJson) => Channel.Writer.TryWrite(statisticsJson);
}
