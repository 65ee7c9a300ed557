using BinanceRecordings;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Streaming.Contracts.Raw.V1;
using Streaming.Serialization;
using Streaming.Testing;

namespace TakerVolume.Tests.Crash;

/// <summary>
/// The ingest side of the crash test: produces raw events keyed by symbol, and remembers what it sent, so the oracle
/// is computed from the input actually produced (each (symbol, aggregate id) once) rather than from the plan.
/// </summary>
internal sealed class CrashInput : IDisposable
{
    private readonly IProducer<string, RawEvent> _producer;
    private readonly Dictionary<(string Symbol, long Id), AggTradeRecord> _distinct = [];
    private readonly Dictionary<string, HashSet<int>> _partitions = new(StringComparer.Ordinal);
    private readonly Action<DeliveryReport<string, RawEvent>> _onDelivered;
    private Error? _failure;

    public CrashInput(EmbeddedKafkaFixture kafka)
    {
        _producer = new ProducerBuilder<string, RawEvent>(kafka.ProducerConfig("crash-input"))
            .SetValueSerializer(new ProtobufSerializer<RawEvent>().AsSyncOverAsync())
            .Build();
        _onDelivered = OnDelivered;
    }

    public long Records { get; private set; }

    /// <summary>Every distinct trade produced, by (symbol, aggregate id).</summary>
    public IReadOnlyDictionary<(string Symbol, long Id), AggTradeRecord> Distinct => _distinct;

    public void Produce(IEnumerable<InputRecord> records)
    {
        foreach (var record in records)
        {
            _producer.Produce(record.Topic, new Message<string, RawEvent> { Key = record.Event.Symbol, Value = record.Event }, _onDelivered);
            Records++;
            if (record.Trade is { } trade)
            {
                _distinct[(record.Event.Symbol, trade.AggregateTradeId)] = trade;
            }
        }
    }

    /// <summary>
    /// Produces <paramref name="records"/> spread evenly over about <paramref name="duration"/> (a live feed's pace,
    /// so a kill lands while the instances are processing), then waits for the acknowledgements.
    /// </summary>
    public async Task StreamAsync(IReadOnlyList<InputRecord> records, TimeSpan duration, CancellationToken cancellationToken)
    {
        const int Chunks = 20;
        var chunk = (records.Count + Chunks - 1) / Chunks;
        for (var i = 0; i < records.Count; i += chunk)
        {
            Produce(records.Skip(i).Take(chunk));
            await Task.Delay(duration / Chunks, cancellationToken);
        }

        Flush();
    }

    /// <summary>Waits until everything produced is acknowledged; throws if anything was not.</summary>
    public void Flush()
    {
        if (_producer.Flush(TimeSpan.FromSeconds(30)) > 0)
        {
            throw new TimeoutException("raw events not acknowledged within 30 s");
        }

        lock (_partitions)
        {
            if (_failure is { } error)
            {
                throw new KafkaException(error);
            }
        }
    }

    /// <summary>The raw trade topic's partitions each symbol went to (from the delivery reports).</summary>
    public Dictionary<string, int> PartitionOf()
    {
        lock (_partitions)
        {
            return _partitions.ToDictionary(p => p.Key, p => p.Value.Single(), StringComparer.Ordinal);
        }
    }

    public List<AggTradeRecord> TradesOf(string symbol) =>
        [.. _distinct.Where(t => t.Key.Symbol == symbol).Select(t => t.Value).OrderBy(t => t.AggregateTradeId)];

    public void Dispose() => _producer.Dispose();

    private void OnDelivered(DeliveryReport<string, RawEvent> report)
    {
        lock (_partitions)
        {
            if (report.Error.IsError)
            {
                _failure ??= report.Error;
                return;
            }

            if (report.Topic == CrashWorkload.RawTrades)
            {
                if (!_partitions.TryGetValue(report.Key, out var set))
                {
                    _partitions[report.Key] = set = [];
                }

                set.Add(report.Partition.Value);
            }
        }
    }
}
