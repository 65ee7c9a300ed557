using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Streaming.Kafka;

namespace KafkaSmoke;

/// <summary>
/// Produces keyed records with the project's producer defaults while a fresh consumer group reads
/// them, starting at the offsets the topic had before the run, and checks what a pipeline relies on:
/// every record arrives exactly once, in order per key, and the committed offsets reach the end.
/// </summary>
internal sealed class RoundTrip(KafkaClientFactory clients, SmokeOptions options)
{
    private const string SentAtHeader = "smoke-sent-at-ticks";

    public async Task<RoundTripResult> RunAsync(CancellationToken cancellationToken)
    {
        var runId = Guid.NewGuid().ToString("N")[..12];
        var start = new Dictionary<TopicPartition, Offset>();
        var assigned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var consumer = clients.CreateConsumerBuilder<string, string>($"kafka-smoke-{runId}", "kafka-smoke-consumer")
            .SetPartitionsAssignedHandler((_, partitions) =>
            {
                if (start.Count > 0 && partitions.Count == start.Count)
                {
                    assigned.TrySetResult();
                }

                // Start where the topic ended before this run: earlier runs' records are not ours.
                return partitions.Select(p => new TopicPartitionOffset(p, start[p]));
            })
            .Build();
        foreach (var (partition, high) in HighWatermarks(consumer))
        {
            start[partition] = high;
        }

        consumer.Subscribe(options.Topic);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(options.Timeout);
        var consuming = Task.Run(() => Consume(consumer, runId, stop.Token), CancellationToken.None);
        await assigned.Task.WaitAsync(stop.Token);

        var produced = await ProduceAsync(runId, stop.Token);
        var consumed = await consuming;

        var committedAtEnd = consumed.Commits.Count(c =>
            consumer.QueryWatermarkOffsets(c.TopicPartition, options.Timeout).High.Value == c.Offset.Value);
        consumer.Close();

        return new RoundTripResult(
            Topic: options.Topic,
            Produced: options.Records,
            ProduceTime: produced.Elapsed,
            AckLatenciesMs: produced.AckLatenciesMs,
            Received: consumed.Received,
            Duplicates: consumed.Duplicates,
            KeysOutOfOrder: consumed.KeysOutOfOrder,
            EndToEndLatenciesMs: consumed.EndToEndLatenciesMs,
            Partitions: start.Count,
            PartitionsCommittedAtEnd: committedAtEnd,
            PartitionsWithRecords: consumed.Commits.Count);
    }

    private List<(TopicPartition Partition, Offset High)> HighWatermarks(IConsumer<string, string> consumer)
    {
        using var admin = clients.CreateAdminClientBuilder("kafka-smoke-admin").Build();
        var topic = admin.GetMetadata(options.Topic, options.Timeout).Topics.Single();
        if (topic.Error.Code != ErrorCode.NoError)
        {
            throw new InvalidOperationException($"topic {options.Topic}: {topic.Error.Reason}");
        }

        return topic.Partitions
            .Select(p => new TopicPartition(options.Topic, p.PartitionId))
            .Select(tp => (tp, consumer.QueryWatermarkOffsets(tp, options.Timeout).High))
            .ToList();
    }

    /// <summary>The consumer's blocking loop, on its own thread; it ends when every record arrived or time is up.</summary>
    private Consumed Consume(IConsumer<string, string> consumer, string runId, CancellationToken cancellationToken)
    {
        var sequences = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var seen = new HashSet<int>();
        var latencies = new List<double>(options.Records);
        var duplicates = 0;
        var lastOffsets = new Dictionary<TopicPartition, long>();
        while (seen.Count < options.Records && !cancellationToken.IsCancellationRequested)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is null)
            {
                continue;
            }

            lastOffsets[result.TopicPartition] = result.Offset.Value;
            var (recordRun, sequence) = Parse(result.Message.Value);
            if (recordRun != runId)
            {
                continue;
            }

            if (!seen.Add(sequence))
            {
                duplicates++;
                continue;
            }

            latencies.Add(Stopwatch.GetElapsedTime(SentAt(result.Message.Headers)).TotalMilliseconds);
            if (!sequences.TryGetValue(result.Message.Key, out var keySequences))
            {
                sequences[result.Message.Key] = keySequences = [];
            }

            keySequences.Add(sequence);
        }

        // Commit what was processed, as the services do: the offset after each partition's last record.
        var commits = lastOffsets.Select(o => new TopicPartitionOffset(o.Key, o.Value + 1)).ToList();
        if (commits.Count > 0)
        {
            consumer.Commit(commits);
        }

        return new Consumed(seen.Count, duplicates, sequences.Values.Count(s => !IsAscending(s)), latencies, commits);
    }

    private async Task<Produced> ProduceAsync(string runId, CancellationToken cancellationToken)
    {
        using var producer = clients.CreateProducerBuilder<string, string>("kafka-smoke-producer").Build();
        var latencies = new double[options.Records];
        var deliveries = new Task[options.Records];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < options.Records; i++)
        {
            var sequence = i;
            var sentAt = Stopwatch.GetTimestamp();
            var message = new Message<string, string>
            {
                Key = string.Create(CultureInfo.InvariantCulture, $"SYM{i % options.Keys:D3}USDT"),
                Value = string.Create(CultureInfo.InvariantCulture, $"{runId}/{i}"),
                Headers = new Headers { { SentAtHeader, BitConverter.GetBytes(sentAt) } },
            };
            deliveries[i] = producer.ProduceAsync(options.Topic, message, cancellationToken)
                .ContinueWith(_ => latencies[sequence] = Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds, cancellationToken, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }

        await Task.WhenAll(deliveries);
        return new Produced(latencies, clock.Elapsed);
    }

    private static (string Run, int Sequence) Parse(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (string.Empty, -1) : (value[..slash], int.Parse(value.AsSpan(slash + 1), CultureInfo.InvariantCulture));
    }

    private static long SentAt(Headers headers) => BitConverter.ToInt64(headers.GetLastBytes(SentAtHeader));

    private static bool IsAscending(List<int> values)
    {
        for (var i = 1; i < values.Count; i++)
        {
            if (values[i] <= values[i - 1])
            {
                return false;
            }
        }

        return true;
    }

    private sealed record Produced(double[] AckLatenciesMs, TimeSpan Elapsed);

    private sealed record Consumed(int Received, int Duplicates, int KeysOutOfOrder, List<double> EndToEndLatenciesMs, List<TopicPartitionOffset> Commits);
}
