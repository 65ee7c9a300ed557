using System.Globalization;
using Confluent.Kafka;
using Streaming.Processing.CountingApp;

namespace Streaming.Processing.Benchmarks;

/// <summary>
/// The input every pipeline drains: counting records (<see cref="CountingRecord"/>, 16 bytes) keyed <c>K0000</c>…,
/// consecutive ids per key with 2 % of neighbours swapped and 5 % repeats of recent records, as the runtime's
/// integration tests generate them (a copy of their <c>CountingWorkload</c>, without the oracle). Deterministic per seed.
/// </summary>
internal sealed class CountingInput
{
    private const double DuplicateRate = 0.05;
    private const double SwapRate = 0.02;
    private readonly Dictionary<string, long> _nextId = new(StringComparer.Ordinal);
    private readonly List<(string Key, CountingRecord Record)> _recent = [];
    private readonly Random _random;
    private readonly string[] _keys;

    public CountingInput(int seed, int keys)
    {
        _random = new Random(seed);
        _keys = [.. Enumerable.Range(0, keys).Select(k => string.Create(CultureInfo.InvariantCulture, $"K{k:D5}"))];
    }

    /// <summary>Records produced so far.</summary>
    public long Produced { get; private set; }

    /// <summary>Repeats among them: the counting topology emits nothing for these.</summary>
    public long Repeats { get; private set; }

    /// <summary>Generates <paramref name="count"/> records and produces them to <paramref name="topic"/>, partitioned by key; returns once all are acknowledged.</summary>
    public void ProduceTo(string bootstrapServers, string topic, int count)
    {
        var config = Kafka.KafkaClientConfigs.Producer(new Kafka.KafkaOptions { BootstrapServers = bootstrapServers, StatisticsInterval = TimeSpan.Zero }, "bench-input");
        using var producer = new ProducerBuilder<string, byte[]>(config).Build();
        const int Batch = 10_000;
        var timestamp = 1_700_000_000_000 + Produced;
        for (var done = 0; done < count; done += Batch)
        {
            foreach (var (key, record) in Next(Math.Min(Batch, count - done)))
            {
                var message = new Message<string, byte[]>
                {
                    Key = key,
                    Value = record.ToBytes(),
                    Timestamp = new Timestamp(timestamp++, TimestampType.CreateTime),
                };
                while (true)
                {
                    try
                    {
                        producer.Produce(topic, message);
                        break;
                    }
                    catch (ProduceException<string, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                    {
                        producer.Poll(TimeSpan.FromMilliseconds(20));
                    }
                }
            }
        }

        if (producer.Flush(TimeSpan.FromSeconds(120)) != 0)
        {
            throw new InvalidOperationException($"The input for {topic} was not acknowledged within 120 s.");
        }
    }

    private List<(string Key, CountingRecord Record)> Next(int count)
    {
        var batch = new List<(string Key, CountingRecord Record)>(count);
        while (batch.Count < count)
        {
            if (_recent.Count > 0 && _random.NextDouble() < DuplicateRate)
            {
                batch.Add(_recent[_random.Next(_recent.Count)]);
                Repeats++;
                continue;
            }

            var key = _keys[_random.Next(_keys.Length)];
            var id = _nextId.GetValueOrDefault(key) + 1;
            _nextId[key] = id;
            var record = new CountingRecord(id, _random.Next(1, 1_000_000));
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

        for (var i = 1; i < batch.Count; i++)
        {
            if (_random.NextDouble() < SwapRate)
            {
                (batch[i - 1], batch[i]) = (batch[i], batch[i - 1]);
            }
        }

        Produced += batch.Count;
        return batch;
    }
}
