using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace Streaming.Kafka.Statistics;

/// <summary>
/// Exports the latest statistics report of every Kafka client of the process as instruments of
/// the <c>Streaming.Kafka</c> meter. Reports of clients that stopped reporting expire.
/// </summary>
public sealed class KafkaClientMetrics
{
    public const string MeterName = "Streaming.Kafka";

    private readonly ConcurrentDictionary<string, (ClientStatistics Statistics, DateTimeOffset At)> _latest = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _expiry;

    public KafkaClientMetrics(IMeterFactory meterFactory, IOptions<KafkaOptions> options, TimeProvider time, KafkaStatisticsSink sink)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        _time = time;
        _expiry = TimeSpan.FromTicks(Math.Max(options.Value.StatisticsInterval.Ticks * 3, TimeSpan.FromMinutes(1).Ticks));

        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("streaming.kafka.client.queue.messages", () => PerClient(s => s.QueuedMessages), "{message}", "Records waiting in the client's local queue");
        meter.CreateObservableGauge("streaming.kafka.client.queue.size", () => PerClient(s => s.QueuedBytes), "By", "Bytes waiting in the client's local queue");
        meter.CreateObservableCounter("streaming.kafka.client.sent.messages", () => PerClient(s => s.SentMessages), "{message}", "Records sent to brokers");
        meter.CreateObservableCounter("streaming.kafka.client.sent.size", () => PerClient(s => s.SentBytes), "By", "Bytes sent to brokers");
        meter.CreateObservableCounter("streaming.kafka.client.received.messages", () => PerClient(s => s.ReceivedMessages), "{message}", "Records received from brokers");
        meter.CreateObservableCounter("streaming.kafka.client.received.size", () => PerClient(s => s.ReceivedBytes), "By", "Bytes received from brokers");
        meter.CreateObservableCounter("streaming.kafka.consumer.rebalances", () => PerClient(s => s.Rebalances), "{rebalance}", "Consumer group rebalances seen by the client");
        meter.CreateObservableGauge("streaming.kafka.broker.connected", () => PerBroker(b => b.Up ? 1L : 0L), "{broker}", "1 while the client's connection to the broker is up");
        meter.CreateObservableGauge("streaming.kafka.broker.rtt.average", () => PerBroker(b => b.RttAverageMicros / 1e6), "s", "Average request round-trip time");
        meter.CreateObservableGauge("streaming.kafka.broker.rtt.p99", () => PerBroker(b => b.RttP99Micros / 1e6), "s", "99th percentile request round-trip time");
        meter.CreateObservableGauge("streaming.kafka.consumer.lag", Lags, "{message}", "Records between the consumer's position and the partition's high watermark");
        meter.CreateObservableCounter("streaming.kafka.statistics.dropped", () => sink.Dropped, "{report}", "Statistics reports dropped because the metrics path fell behind");
    }

    internal void Record(ClientStatistics statistics) => _latest[statistics.Name] = (statistics, _time.GetUtcNow());

    private IEnumerable<ClientStatistics> Current()
    {
        var oldest = _time.GetUtcNow() - _expiry;
        foreach (var (name, entry) in _latest)
        {
            if (entry.At < oldest)
            {
                _latest.TryRemove(name, out _);
                continue;
            }

            yield return entry.Statistics;
        }
    }

    private IEnumerable<Measurement<long>> PerClient(Func<ClientStatistics, long> value)
    {
        foreach (var s in Current())
        {
            yield return new Measurement<long>(value(s), new("client", s.Name), new("client.type", s.Type));
        }
    }

    private IEnumerable<Measurement<T>> PerBroker<T>(Func<BrokerStatistics, T> value)
        where T : struct
    {
        foreach (var s in Current())
        {
            foreach (var broker in s.Brokers)
            {
                yield return new Measurement<T>(value(broker), new("client", s.Name), new("broker", broker.Name));
            }
        }
    }

    private IEnumerable<Measurement<long>> Lags()
    {
        foreach (var s in Current())
        {
            foreach (var lag in s.Lags)
            {
                yield return new Measurement<long>(lag.Lag, new("client", s.Name), new("topic", lag.Topic), new("partition", lag.Partition));
            }
        }
    }
}
