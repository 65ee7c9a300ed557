using System.Globalization;
using Confluent.Kafka;
using Streaming.Processing.CountingApp;

namespace Streaming.Processing.Tests.Counting;

/// <summary>
/// A deterministic stream of counting records over many keys, with repeats and local reordering (what redundant
/// feeds and backfill produce), and its oracle: per key, the sum and count of the distinct ids. The oracle is
/// computed here from the generated ids, independently of the runtime.
/// </summary>
internal sealed class CountingWorkload
{
    private readonly Dictionary<string, (long Total, long Count)> _oracle = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _nextId = new(StringComparer.Ordinal);
    private readonly Random _random;
    private readonly int _keys;
    private readonly double _duplicateRate;
    private readonly List<(string Key, CountingRecord Record)> _recent = [];

    public CountingWorkload(int seed, int keys, double duplicateRate = 0.05)
    {
        _random = new Random(seed);
        _keys = keys;
        _duplicateRate = duplicateRate;
    }

    public IReadOnlyDictionary<string, (long Total, long Count)> Oracle => _oracle;

    public long Produced { get; private set; }

    public long DuplicatesProduced { get; private set; }

    public static string KeyName(int index) => string.Create(CultureInfo.InvariantCulture, $"K{index:D4}");

    /// <summary>The next <paramref name="count"/> records: new ids per key (neighbours sometimes swapped), plus repeats of recent ones.</summary>
    public List<(string Key, CountingRecord Record)> Next(int count)
    {
        var batch = new List<(string Key, CountingRecord Record)>(count);
        while (batch.Count < count)
        {
            if (_recent.Count > 0 && _random.NextDouble() < _duplicateRate)
            {
                batch.Add(_recent[_random.Next(_recent.Count)]);
                DuplicatesProduced++;
                continue;
            }

            var key = KeyName(_random.Next(_keys));
            var id = _nextId.GetValueOrDefault(key) + 1;
            _nextId[key] = id;
            var record = new CountingRecord(id, _random.Next(1, 1_000_000));
            var (total, seen) = _oracle.GetValueOrDefault(key);
            _oracle[key] = (total + record.Amount, seen + 1);
            batch.Add((key, record));
            if (_recent.Count < 5_000)
            {
                _recent.Add((key, record));
            }
            else
            {
                _recent[_random.Next(_recent.Count)] = (key, record);
            }
        }

        // Local reordering: an id may arrive after a larger one of the same key (a hole filled late).
        for (var i = 1; i < batch.Count; i++)
        {
            if (_random.NextDouble() < 0.02)
            {
                (batch[i - 1], batch[i]) = (batch[i], batch[i - 1]);
            }
        }

        Produced += batch.Count;
        return batch;
    }

    /// <summary>
    /// Produces the batch and waits until the broker acknowledged every record: a record refused or still queued
    /// fails here, naming the error, instead of showing up later as an output short of the oracle.
    /// </summary>
    public static void Produce(IProducer<string, byte[]> producer, string topic, List<(string Key, CountingRecord Record)> batch, long timestampMs)
    {
        var failed = 0;
        Error? firstError = null;
        void OnDelivered(DeliveryReport<string, byte[]> report)
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref failed);
                Interlocked.CompareExchange(ref firstError, report.Error, null);
            }
        }

        foreach (var (key, record) in batch)
        {
            while (true)
            {
                try
                {
                    producer.Produce(topic, new Message<string, byte[]> { Key = key, Value = record.ToBytes(), Timestamp = new Timestamp(timestampMs, TimestampType.CreateTime) }, OnDelivered);
                    break;
                }
                catch (ProduceException<string, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(20));
                }
            }
        }

        var unacknowledged = producer.Flush(TimeSpan.FromSeconds(60));
        if (unacknowledged > 0 || failed > 0)
        {
            throw new InvalidOperationException($"Producing to {topic}: {unacknowledged} records not acknowledged within 60 s, {failed} refused (first: {firstError})");
        }
    }
}
