using System.Text;
using Confluent.Kafka;
using Streaming.Processing.Idempotence;
using Streaming.Processing.Runtime;

namespace Streaming.Processing.Tests.Idempotence;

public sealed class OutputDeduplicatorTests
{
    private const int Cases = 500;

    [Fact]
    public void Offer_FirstRecordOfKey_Accepts()
    {
        var deduplicator = new OutputDeduplicator<string>();
        Assert.Equal(Decision.Accept, deduplicator.Offer("BTCUSDT", 1, 7));
        Assert.True(deduplicator.TryGetLast("BTCUSDT", out var epoch, out var revision));
        Assert.Equal((1, 7), (epoch, revision));
        Assert.Equal(1, deduplicator.KeyCount);
    }

    [Fact]
    public void Offer_SameOrLowerRevisionSameEpoch_Repeat()
    {
        var deduplicator = new OutputDeduplicator<string>();
        deduplicator.Offer("k", 1, 5);
        Assert.Equal(Decision.Repeat, deduplicator.Offer("k", 1, 5));
        Assert.Equal(Decision.Repeat, deduplicator.Offer("k", 1, 4));
        Assert.Equal(Decision.Accept, deduplicator.Offer("k", 1, 6));
        Assert.Equal(Decision.Repeat, deduplicator.Offer("k", 1, 5));
    }

    [Fact]
    public void Offer_RevisionGap_AcceptsHigherRevision()
    {
        var deduplicator = new OutputDeduplicator<string>();
        deduplicator.Offer("k", 1, 5);
        Assert.Equal(Decision.Accept, deduplicator.Offer("k", 1, 9));
        Assert.Equal(Decision.Repeat, deduplicator.Offer("k", 1, 7));
    }

    [Fact]
    public void Offer_LowerEpoch_StaleEvenWithHigherRevision()
    {
        var deduplicator = new OutputDeduplicator<string>();
        deduplicator.Offer("k", 2, 5);
        Assert.Equal(Decision.Stale, deduplicator.Offer("k", 1, 6));
        Assert.Equal(Decision.Stale, deduplicator.Offer("k", 1, 100));
        Assert.True(deduplicator.TryGetLast("k", out var epoch, out var revision));
        Assert.Equal((2, 5), (epoch, revision));
    }

    [Fact]
    public void Offer_HigherEpochLowerRevision_AcceptsAndBecomesLast()
    {
        var deduplicator = new OutputDeduplicator<string>();
        deduplicator.Offer("k", 1, 10);
        Assert.Equal(Decision.Accept, deduplicator.Offer("k", 2, 8));
        Assert.Equal(Decision.Accept, deduplicator.Offer("k", 2, 9));
        Assert.Equal(Decision.Repeat, deduplicator.Offer("k", 2, 8));
        Assert.Equal(Decision.Stale, deduplicator.Offer("k", 1, 11));
    }

    [Fact]
    public void Offer_DifferentKeys_Independent()
    {
        var deduplicator = new OutputDeduplicator<string>();
        deduplicator.Offer("a", 3, 10);
        Assert.Equal(Decision.Accept, deduplicator.Offer("b", 1, 1));
        Assert.Equal(Decision.Stale, deduplicator.Offer("a", 1, 1));
        Assert.False(deduplicator.TryGetLast("c", out _, out _));
        Assert.Equal(2, deduplicator.KeyCount);
    }

    [Fact]
    public void Offer_CustomComparer_UsedForKeys()
    {
        var deduplicator = new OutputDeduplicator<string>(StringComparer.OrdinalIgnoreCase);
        deduplicator.Offer("btcusdt", 1, 1);
        Assert.Equal(Decision.Repeat, deduplicator.Offer("BTCUSDT", 1, 1));
    }

    [Fact]
    public void Offer_Counters_CountEachDecision()
    {
        var deduplicator = new OutputDeduplicator<string>();
        deduplicator.Offer("k", 2, 1);
        deduplicator.Offer("k", 2, 1);
        deduplicator.Offer("k", 2, 2);
        deduplicator.Offer("k", 1, 3);
        deduplicator.Offer("k", 2, 2);
        Assert.Equal(2, deduplicator.AcceptedCount);
        Assert.Equal(2, deduplicator.RepeatCount);
        Assert.Equal(1, deduplicator.StaleCount);
        Assert.Equal(0, deduplicator.UnversionedCount);
    }

    [Fact]
    public void Offer_Headers_ReadsEpochAndRevision()
    {
        var deduplicator = new OutputDeduplicator<string>();
        Assert.Equal(Decision.Accept, deduplicator.Offer("k", Versioned(2, 5)));
        Assert.Equal(Decision.Repeat, deduplicator.Offer("k", Versioned(2, 5)));
        Assert.Equal(Decision.Stale, deduplicator.Offer("k", Versioned(1, 9)));
        Assert.True(deduplicator.TryGetLast("k", out var epoch, out var revision));
        Assert.Equal((2, 5), (epoch, revision));
    }

    [Fact]
    public void Offer_HeadersRepeated_LastOneWins()
    {
        var headers = Versioned(1, 1);
        headers.Add(ProcessingHeaders.Revision, ProcessingHeaders.EncodeInt64(4));
        var deduplicator = new OutputDeduplicator<string>();
        deduplicator.Offer("k", headers);
        Assert.True(deduplicator.TryGetLast("k", out _, out var revision));
        Assert.Equal(4, revision);
    }

    public static TheoryData<string> UnversionedHeaders => ["none", "null", "epoch only", "revision only", "short epoch"];

    [Theory]
    [MemberData(nameof(UnversionedHeaders))]
    public void Offer_HeadersWithoutVersion_AlwaysAcceptsAndRemembersNothing(string kind)
    {
        Headers? headers = kind switch
        {
            "none" => [],
            "null" => null,
            "epoch only" => new Headers { { ProcessingHeaders.Epoch, ProcessingHeaders.EncodeInt64(9) } },
            "revision only" => new Headers { { ProcessingHeaders.Revision, ProcessingHeaders.EncodeInt64(9) } },
            _ => new Headers
            {
                { ProcessingHeaders.Epoch, Encoding.ASCII.GetBytes("9") },
                { ProcessingHeaders.Revision, ProcessingHeaders.EncodeInt64(9) },
            },
        };

        var deduplicator = new OutputDeduplicator<string>();
        deduplicator.Offer("k", 5, 5);
        Assert.Equal(Decision.Accept, deduplicator.Offer("k", headers));
        Assert.Equal(Decision.Accept, deduplicator.Offer("k", headers));
        Assert.Equal(2, deduplicator.UnversionedCount);
        Assert.Equal(3, deduplicator.AcceptedCount);
        Assert.True(deduplicator.TryGetLast("k", out var epoch, out var revision));
        Assert.Equal((5, 5), (epoch, revision));
        Assert.Equal(Decision.Repeat, deduplicator.Offer("k", 5, 5));
    }

    [Fact]
    public void Offer_RandomRecords_AgreesWithReferenceModel()
    {
        Seeds.Check(Cases, seed =>
        {
            var random = new Random(seed);
            var deduplicator = new OutputDeduplicator<int>();
            var history = new Dictionary<int, List<(long Epoch, long Revision)>>();
            var keys = random.Next(1, 5);
            var epochs = random.Next(1, 5);
            var revisions = random.Next(1, 12);
            var counts = new Dictionary<Decision, long>();
            for (var i = random.Next(1, 200); i > 0; i--)
            {
                var key = random.Next(keys);
                long epoch = random.Next(epochs);
                long revision = random.Next(revisions);
                var accepted = history.TryGetValue(key, out var list) ? list : history[key] = [];
                var expected = ReferenceDecision(accepted, epoch, revision);
                Assert.Equal(expected, deduplicator.Offer(key, epoch, revision));
                counts[expected] = counts.GetValueOrDefault(expected) + 1;
                if (expected == Decision.Accept)
                {
                    accepted.Add((epoch, revision));
                }
            }

            Assert.Equal(counts.GetValueOrDefault(Decision.Accept), deduplicator.AcceptedCount);
            Assert.Equal(counts.GetValueOrDefault(Decision.Repeat), deduplicator.RepeatCount);
            Assert.Equal(counts.GetValueOrDefault(Decision.Stale), deduplicator.StaleCount);
            foreach (var (key, accepted) in history.Where(entry => entry.Value.Count > 0))
            {
                Assert.True(deduplicator.TryGetLast(key, out var epoch, out var revision));
                Assert.Equal(accepted[^1], (epoch, revision));
            }
        });
    }

    /// <summary>
    /// Owners take a task over one after another (epochs 1, 2, …), each restoring a possibly older revision and
    /// republishing from there; each replaced owner keeps writing for a while as a zombie, interleaved with its
    /// successor; the broker delivers some records twice. What the consumer keeps per key goes up in
    /// (epoch, revision) order and ends at the last owner's last write.
    /// </summary>
    [Fact]
    public void Offer_TakeoversWithZombiesAndDuplicates_KeepsCurrentOwnersWritesInOrder()
    {
        Seeds.Check(Cases, seed =>
        {
            var random = new Random(seed);
            var keys = random.Next(1, 4);
            var owners = random.Next(1, 5);
            var records = new List<(int Key, long Epoch, long Revision)>();
            var zombie = new List<(int Key, long Epoch, long Revision)>();
            var written = new long[keys];
            var last = new (long Epoch, long Revision)[keys];
            for (var epoch = 1L; epoch <= owners; epoch++)
            {
                // The new owner restores each key at its last revision or a little before (an older snapshot) and
                // republishes it, then goes on.
                var restored = written.Select(revision => revision == 0 ? 0 : Math.Max(1, revision - random.Next(0, 4))).ToArray();
                var writes = new List<(int Key, long Epoch, long Revision)>();
                for (var key = 0; key < keys; key++)
                {
                    if (restored[key] > 0)
                    {
                        writes.Add((key, epoch, restored[key]));
                        last[key] = (epoch, restored[key]);
                    }
                }

                for (var i = random.Next(1, 30); i > 0; i--)
                {
                    var key = random.Next(keys);
                    var revision = ++restored[key];
                    writes.Add((key, epoch, revision));
                    last[key] = (epoch, revision);
                }

                written = restored;
                records.AddRange(Interleave(random, writes, zombie));

                // The owner goes on writing after its successor took over: a zombie.
                zombie = [];
                var zombieRevisions = (long[])written.Clone();
                for (var i = random.Next(0, 10); i > 0 && epoch < owners; i--)
                {
                    var key = random.Next(keys);
                    if (zombieRevisions[key] > 0)
                    {
                        zombie.Add((key, epoch, ++zombieRevisions[key]));
                    }
                }
            }

            for (var i = random.Next(0, records.Count); i > 0; i--)
            {
                var index = random.Next(records.Count);
                records.Insert(random.Next(index, records.Count + 1), records[index]);
            }

            var deduplicator = new OutputDeduplicator<int>();
            var kept = new List<(long Epoch, long Revision)>[keys];
            for (var key = 0; key < keys; key++)
            {
                kept[key] = [];
            }

            foreach (var (key, epoch, revision) in records)
            {
                if (deduplicator.Offer(key, epoch, revision) == Decision.Accept)
                {
                    kept[key].Add((epoch, revision));
                }
            }

            for (var key = 0; key < keys; key++)
            {
                for (var i = 1; i < kept[key].Count; i++)
                {
                    Assert.True(kept[key][i - 1].CompareTo(kept[key][i]) < 0, $"key {key}: {kept[key][i - 1]} then {kept[key][i]}");
                }

                if (last[key] != default)
                {
                    Assert.Equal(last[key], kept[key][^1]);
                }
            }

            Assert.Equal(records.Count, deduplicator.AcceptedCount + deduplicator.RepeatCount + deduplicator.StaleCount);
        });
    }

    /// <summary>The rule from the whole accepted history: the highest epoch wins; within it, only a higher revision is new.</summary>
    private static Decision ReferenceDecision(List<(long Epoch, long Revision)> accepted, long epoch, long revision)
    {
        if (accepted.Count == 0)
        {
            return Decision.Accept;
        }

        var highestEpoch = accepted.Max(version => version.Epoch);
        if (epoch != highestEpoch)
        {
            return epoch > highestEpoch ? Decision.Accept : Decision.Stale;
        }

        var highestRevision = accepted.Where(version => version.Epoch == epoch).Max(version => version.Revision);
        return revision > highestRevision ? Decision.Accept : Decision.Repeat;
    }

    /// <summary>Both lists' records, each list's in its own order.</summary>
    private static List<T> Interleave<T>(Random random, List<T> first, List<T> second)
    {
        var merged = new List<T>(first.Count + second.Count);
        int i = 0, j = 0;
        while (i < first.Count || j < second.Count)
        {
            var takeFirst = j == second.Count || (i < first.Count && random.Next(2) == 0);
            merged.Add(takeFirst ? first[i++] : second[j++]);
        }

        return merged;
    }

    private static Headers Versioned(long epoch, long revision) => new()
    {
        { ProcessingHeaders.Epoch, ProcessingHeaders.EncodeInt64(epoch) },
        { ProcessingHeaders.Revision, ProcessingHeaders.EncodeInt64(revision) },
    };
}
