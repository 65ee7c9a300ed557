using System.Text;
using Streaming.Processing.Runtime;
using TakerVolume.Sliding;
using TakerVolume.Topology;

namespace TakerVolume.Benchmarks.Kafka;

/// <summary>One symbol's share of the live state of one store: entries and their serialized bytes (key and value).</summary>
internal sealed class SymbolState
{
    public long Entries { get; set; }

    public long Bytes { get; set; }

    /// <summary>Millisecond buckets in its entries (sliding store only).</summary>
    public long Buckets { get; set; }
}

/// <summary>What one store's changelog holds: everything written, and the live state (the latest value per key) by symbol.</summary>
internal sealed class StoreCensus(string store)
{
    public string Store { get; } = store;

    /// <summary>Records written, owner markers excluded (tombstones included).</summary>
    public long Records { get; set; }

    /// <summary>Of which tombstones (a key deleted: a sliding second that left the window, an expired window).</summary>
    public long Tombstones { get; set; }

    /// <summary>Key and value bytes written, as stored (headers excluded).</summary>
    public long Bytes { get; set; }

    public Dictionary<string, SymbolState> Live { get; } = new(StringComparer.Ordinal);

    public long LiveEntries => Live.Values.Sum(s => s.Entries);

    public long LiveBytes => Live.Values.Sum(s => s.Bytes);
}

/// <summary>
/// Reads a run's changelogs back from the broker: the embedded broker never compacts, so each holds every record the
/// run wrote (the volume), and the latest value per key is exactly the state the stores held at the end (what a
/// restore would rebuild), counted per symbol. Window-store keys are the symbol's UTF-8 bytes and the window start
/// (8 bytes); key-value keys the symbol alone; owner markers (header <c>streaming.marker</c>) are skipped.
/// </summary>
internal static class ChangelogCensus
{
    public static IReadOnlyList<StoreCensus> Take(BenchKafka kafka, IReadOnlyDictionary<string, string> changelogs)
    {
        ArgumentNullException.ThrowIfNull(changelogs);
        var censuses = new List<StoreCensus>();
        foreach (var (store, topic) in changelogs.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var census = new StoreCensus(store);
            var windowed = store != TakerVolumeStores.Dedup;
            var latest = new Dictionary<string, (string Symbol, int KeyBytes, byte[]? Value)>(StringComparer.Ordinal);
            TopicReader.ReadAll(kafka, topic, record =>
            {
                if (record.Message.Headers?.TryGetLastBytes(ProcessingHeaders.Marker, out _) == true)
                {
                    return;
                }

                var key = record.Message.Key ?? [];
                var value = record.Message.Value;
                census.Records++;
                census.Bytes += key.Length + (value?.Length ?? 0);
                census.Tombstones += value is null ? 1 : 0;
                var symbol = Encoding.UTF8.GetString(windowed ? key.AsSpan(0, Math.Max(0, key.Length - 8)) : key);
                latest[$"{record.Partition.Value}/{Convert.ToHexString(key)}"] = (symbol, key.Length, value);
            });

            foreach (var (symbol, keyBytes, value) in latest.Values)
            {
                if (value is null)
                {
                    continue;
                }

                if (!census.Live.TryGetValue(symbol, out var state))
                {
                    census.Live[symbol] = state = new SymbolState();
                }

                state.Entries++;
                state.Bytes += keyBytes + value.Length;
                if (store == TakerVolumeStores.Sliding)
                {
                    state.Buckets += SlidingSecondSerde.Instance.Deserialize(value).Buckets.Count;
                }
            }

            censuses.Add(census);
        }

        return censuses;
    }
}
