using Confluent.Kafka;
using Streaming.Processing.CountingApp;
using Streaming.Processing.Idempotence;
using Streaming.Processing.Runtime;
using Streaming.Testing;

namespace Streaming.Processing.Tests.Counting;

/// <summary>
/// Reads what a counting run left in Kafka, as a downstream consumer would: the output topic deduplicated by
/// (key, epoch, revision), and the changelog replayed with the owner-epoch rule. Both must equal the oracle.
/// </summary>
internal static class CountingResults
{
    /// <summary>True when <paramref name="actual"/> has exactly the oracle's keys with the oracle's totals and counts.</summary>
    public static bool EqualsOracle(IReadOnlyDictionary<string, (long Total, long Count)> actual, IReadOnlyDictionary<string, (long Total, long Count)> oracle) =>
        actual.Count == oracle.Count && oracle.All(e => actual.TryGetValue(e.Key, out var v) && v == e.Value);

    /// <summary>The entries in key order, so an assertion failure shows the first key that differs.</summary>
    public static List<KeyValuePair<string, (long Total, long Count)>> Sorted(IReadOnlyDictionary<string, (long Total, long Count)> values) =>
        [.. values.OrderBy(v => v.Key, StringComparer.Ordinal)];

    /// <summary>
    /// Polls the deduplicated outputs of <paramref name="topic"/> until they equal the workload's oracle. A timeout
    /// says how the last outputs read differed (keys never output, keys short of ids, keys over), which tells a
    /// partition nobody processed from a few records lost or counted twice.
    /// </summary>
    public static async Task WaitForOracleAsync(string bootstrapServers, string topic, int partitions, CountingWorkload workload, TimeSpan timeout, string what)
    {
        OutputView? last = null;
        try
        {
            await Eventually.TrueAsync(
                () => EqualsOracle((last = ReadOutputs(bootstrapServers, topic, partitions)).Latest, workload.Oracle),
                timeout,
                what,
                TestContext.Current.CancellationToken);
        }
        catch (TimeoutException e) when (last is not null)
        {
            throw new TimeoutException($"{e.Message}; last read: {last.Records} output records, {DescribeDifference(last.Latest, workload.Oracle)}", e);
        }
    }

    /// <summary>How <paramref name="actual"/> differs from the oracle, in counts and a few keys.</summary>
    public static string DescribeDifference(IReadOnlyDictionary<string, (long Total, long Count)> actual, IReadOnlyDictionary<string, (long Total, long Count)> oracle)
    {
        var absent = oracle.Keys.Where(k => !actual.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var shortOfIds = oracle.Where(e => actual.TryGetValue(e.Key, out var v) && v.Count < e.Value.Count).OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => $"{e.Key} {actual[e.Key].Count}/{e.Value.Count}").ToList();
        var over = actual.Where(e => !oracle.TryGetValue(e.Key, out var v) || e.Value.Count > v.Count || (e.Value.Count == v.Count && e.Value.Total != v.Total))
            .OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} {e.Value.Count}/{(oracle.TryGetValue(e.Key, out var v) ? v.Count : 0)}").ToList();
        return $"{oracle.Count} keys expected: {absent.Count} never output ({string.Join(", ", absent.Take(8))}), "
            + $"{shortOfIds.Count} short of ids ({string.Join(", ", shortOfIds.Take(8))}), {over.Count} over or different ({string.Join(", ", over.Take(8))})";
    }

    public sealed record OutputView(Dictionary<string, (long Total, long Count)> Latest, long Records, long Repeats, long Stale);

    public static OutputView ReadOutputs(string bootstrapServers, string topic, int partitions)
    {
        var latest = new Dictionary<string, (long Total, long Count)>(StringComparer.Ordinal);
        var dedup = new OutputDeduplicator<string>(StringComparer.Ordinal);
        long records = 0;
        foreach (var result in ReadAll(bootstrapServers, topic, partitions))
        {
            records++;
            var key = System.Text.Encoding.UTF8.GetString(result.Message.Key!);
            if (dedup.Offer(key, result.Message.Headers) == Decision.Accept)
            {
                latest[key] = CountingTopology.ParseOutput(result.Message.Value!);
            }
        }

        return new OutputView(latest, records, dedup.RepeatCount, dedup.StaleCount);
    }

    /// <summary>The store's final state as a restore would build it from <see cref="ReplayChangelog"/>.</summary>
    public static (Dictionary<string, (long Total, long Count)> State, long StaleIgnored) ReadChangelog(string bootstrapServers, string topic, int partitions)
    {
        var serde = new SumStateSerde();
        var state = new Dictionary<string, (long Total, long Count)>(StringComparer.Ordinal);
        var replay = ReplayChangelog(bootstrapServers, topic, partitions);
        foreach (var (result, _) in replay.Accepted)
        {
            var key = System.Text.Encoding.UTF8.GetString(result.Message.Key!);
            if (result.Message.Value is null)
            {
                state.Remove(key);
            }
            else
            {
                var sum = serde.Deserialize(result.Message.Value);
                state[key] = (sum.Total, sum.Count);
            }
        }

        return (state, replay.StaleIgnored);
    }

    /// <summary>A changelog's data records a restore applies, with their epochs, and how many it ignores.</summary>
    public sealed record ChangelogReplay(List<(ConsumeResult<byte[]?, byte[]?> Record, long Epoch)> Accepted, long StaleIgnored);

    /// <summary>
    /// The owner-epoch rule as the restorer applies it, replayed independently: per partition in offset order, a
    /// record with a lower epoch than one before it is a zombie's and ignored; a marker without an epoch header is a
    /// claim whose epoch is its offset + 1. Markers are not data and are left out of <see cref="ChangelogReplay.Accepted"/>.
    /// </summary>
    public static ChangelogReplay ReplayChangelog(string bootstrapServers, string topic, int partitions)
    {
        var accepted = new List<(ConsumeResult<byte[]?, byte[]?> Record, long Epoch)>();
        long stale = 0;
        var maxEpoch = new Dictionary<int, long>();
        foreach (var result in ReadAll(bootstrapServers, topic, partitions))
        {
            var isMarker = result.Message.Headers.TryGetLastBytes(ProcessingHeaders.Marker, out _);
            var epoch = ProcessingHeaders.ReadInt64(result.Message.Headers, ProcessingHeaders.Epoch)
                ?? (isMarker ? ProcessingHeaders.ClaimEpoch(result.Offset.Value) : 0);
            if (epoch < maxEpoch.GetValueOrDefault(result.Partition.Value))
            {
                stale++;
                continue;
            }

            maxEpoch[result.Partition.Value] = epoch;
            if (!isMarker)
            {
                accepted.Add((result, epoch));
            }
        }

        return new ChangelogReplay(accepted, stale);
    }

    public static List<ConsumeResult<byte[]?, byte[]?>> ReadAll(string bootstrapServers, string topic, int partitions)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "results-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            EnablePartitionEof = true,
        };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        var ends = new Dictionary<int, long>();
        var assignment = new List<TopicPartitionOffset>();
        for (var p = 0; p < partitions; p++)
        {
            var tp = new TopicPartition(topic, p);
            var high = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(30)).High.Value;
            if (high > 0)
            {
                ends[p] = high;
                assignment.Add(new TopicPartitionOffset(tp, Offset.Beginning));
            }
        }

        var results = new List<ConsumeResult<byte[]?, byte[]?>>();
        if (assignment.Count == 0)
        {
            return results;
        }

        consumer.Assign(assignment);
        var done = new HashSet<int>();
        var deadline = Environment.TickCount64 + 120_000;
        while (done.Count < ends.Count && Environment.TickCount64 < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result is null)
            {
                continue;
            }

            if (!result.IsPartitionEOF)
            {
                results.Add(result);
            }

            if (result.Offset.Value + (result.IsPartitionEOF ? 0 : 1) >= ends[result.Partition.Value])
            {
                done.Add(result.Partition.Value);
            }
        }

        if (done.Count < ends.Count)
        {
            throw new TimeoutException($"Reading {topic} to its end took more than 2 minutes.");
        }

        return results;
    }
}
