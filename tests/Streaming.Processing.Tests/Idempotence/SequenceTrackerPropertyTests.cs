using Streaming.Processing.Idempotence;

namespace Streaming.Processing.Tests.Idempotence;

/// <summary>Checks over generated inputs, each case from its own fixed seed (the seed is in every failure message).</summary>
public sealed class SequenceTrackerPropertyTests
{
    private const int Cases = 500;

    [Fact]
    public void TryAccept_ReorderedDuplicatedAndLateArrivals_AcceptsEachDistinctIdExactlyOnce()
    {
        Seeds.Check(Cases, seed =>
        {
            var random = new Random(seed);
            var first = random.NextInt64(-1_000_000_000_000, 1_000_000_000_000);
            var span = random.Next(1, 600);
            var holePercent = random.Next(0, 50);

            // Every id after the first is delivered by the stream, late (a backfill after everything else), or never.
            var stream = new List<long>();
            var late = new List<long>();
            var present = new SortedSet<long> { first };
            for (var id = first + 1; id < first + span; id++)
            {
                var roll = random.Next(100);
                if (roll < holePercent / 2)
                {
                    continue;
                }

                present.Add(id);
                (roll < holePercent ? late : stream).Add(id);
            }

            Reorder(random, stream);
            Shuffle(random, late);
            var arrivals = new List<long> { first };
            arrivals.AddRange(stream);
            arrivals.AddRange(late);
            AddDuplicates(random, arrivals, random.Next(0, arrivals.Count));

            var tracker = new SequenceTracker(int.MaxValue);
            var accepted = new HashSet<long>();
            foreach (var id in arrivals)
            {
                Assert.Equal(!accepted.Contains(id), tracker.TryAccept(id, out var settled));
                Assert.Null(settled);
                accepted.Add(id);
                if (random.Next(40) == 0)
                {
                    tracker = RoundTrip(tracker);
                }
            }

            Assert.Equal(present, accepted);
            var contiguous = first;
            while (present.Contains(contiguous + 1))
            {
                contiguous++;
            }

            var expectedRanges = RangesOf(present.Where(id => id > contiguous));
            var expectedHoles = new List<IdRange>();
            var previous = contiguous;
            foreach (var range in expectedRanges)
            {
                expectedHoles.Add(new IdRange(previous + 1, range.First - 1));
                previous = range.Last;
            }

            Assert.Equal(contiguous, tracker.Contiguous);
            Assert.Equal(present.Max, tracker.Highest);
            Assert.Equal(expectedRanges, tracker.Ranges);
            Assert.Equal(expectedHoles, tracker.Holes);
            Assert.All(arrivals, id => Assert.True(tracker.Contains(id)));
            Assert.Equal(tracker, RoundTrip(tracker));
        });
    }

    [Fact]
    public void TryAcceptAndSettle_BoundedRanges_AgreeWithReferenceModel()
    {
        Seeds.Check(Cases, seed =>
        {
            var random = new Random(seed);
            var maxRanges = random.Next(0, 7);
            var tracker = new SequenceTracker(maxRanges);
            var model = new ReferenceSequenceTracker(maxRanges);
            var cursor = random.NextInt64(-1_000_000, 1_000_000);
            if (random.Next(4) == 0)
            {
                Assert.Equal(model.Settle(cursor - 10), tracker.Settle(cursor - 10));
            }

            var steps = random.Next(1, 300);
            for (var step = 0; step < steps; step++)
            {
                var roll = random.Next(100);
                if (roll < 3)
                {
                    var upTo = cursor + random.Next(-40, 10);
                    Assert.Equal(model.Settle(upTo), tracker.Settle(upTo));
                }
                else
                {
                    cursor += random.Next(0, 3);
                    var id = roll < 8 ? cursor + random.Next(1, 25) : cursor - random.Next(0, 30);
                    var (accepted, settled) = model.Accept(id);
                    Assert.Equal(accepted, tracker.TryAccept(id, out var actualSettled));
                    Assert.Equal(settled, actualSettled);
                }

                Assert.Equal(model.HasAny, tracker.HasAny);
                Assert.Equal(model.Watermark, tracker.Contiguous);
                Assert.Equal(model.Ranges(), tracker.Ranges);
                Assert.Equal(model.Holes(), tracker.Holes);
                Assert.InRange(tracker.RangeCount, 0, maxRanges);
                if (random.Next(25) == 0)
                {
                    tracker = RoundTrip(tracker);
                }
            }
        });
    }

    [Fact]
    public void ReadFrom_MutatedBytes_ThrowsFormatExceptionOrReadsCanonicalState()
    {
        Seeds.Check(Cases, seed =>
        {
            var random = new Random(seed);
            var tracker = new SequenceTracker(int.MaxValue);
            var origin = random.Next(3) == 0 ? long.MaxValue - 10_000 : random.NextInt64(long.MinValue / 2, long.MaxValue / 2);
            for (var i = random.Next(0, 40); i > 0; i--)
            {
                tracker.TryAccept(origin + random.Next(0, 5_000));
            }

            var bytes = tracker.ToBytes().ToList();
            for (var mutations = random.Next(1, 4); mutations > 0; mutations--)
            {
                var position = random.Next(bytes.Count + 1);
                switch (random.Next(4))
                {
                    case 0 when position < bytes.Count:
                        bytes[position] ^= (byte)(1 << random.Next(8));
                        break;
                    case 1 when position < bytes.Count:
                        bytes.RemoveAt(position);
                        break;
                    case 2:
                        bytes.Insert(position, (byte)random.Next(256));
                        break;
                    default:
                        bytes.RemoveRange(position, bytes.Count - position);
                        break;
                }
            }

            var input = bytes.ToArray();
            SequenceTracker restored;
            try
            {
                restored = SequenceTracker.ReadFrom(input);
            }
            catch (SequenceTrackerFormatException)
            {
                return;
            }

            // Accepted input is a valid state, and the encoding is canonical.
            Assert.Equal(input, restored.ToBytes());
            Assert.Equal(restored.RangeCount, restored.Holes.Count());
        });
    }

    private static SequenceTracker RoundTrip(SequenceTracker tracker)
    {
        var bytes = tracker.ToBytes();
        var restored = SequenceTracker.ReadFrom(bytes, tracker.MaxRanges);
        Assert.Equal(tracker, restored);
        Assert.Equal(bytes, restored.ToBytes());
        Assert.Equal(tracker.ToString(), restored.ToString());
        return restored;
    }

    /// <summary>In order, locally reordered (a second feed, a retried publish) or fully shuffled.</summary>
    private static void Reorder(Random random, List<long> ids)
    {
        switch (random.Next(3))
        {
            case 0:
                break;
            case 1:
                var window = random.Next(1, 20);
                for (var i = 1; i < ids.Count; i++)
                {
                    var j = Math.Max(0, i - random.Next(0, window));
                    (ids[i], ids[j]) = (ids[j], ids[i]);
                }

                break;
            default:
                Shuffle(random, ids);
                break;
        }
    }

    private static void Shuffle(Random random, List<long> ids)
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ids);
        random.Shuffle(span);
    }

    /// <summary>Inserts copies of random arrivals anywhere after the first arrival.</summary>
    private static void AddDuplicates(Random random, List<long> arrivals, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var id = arrivals[random.Next(arrivals.Count)];
            arrivals.Insert(random.Next(1, arrivals.Count + 1), id);
        }
    }

    private static List<IdRange> RangesOf(IEnumerable<long> sortedIds)
    {
        var ranges = new List<IdRange>();
        foreach (var id in sortedIds)
        {
            if (ranges.Count > 0 && ranges[^1].Last == id - 1)
            {
                ranges[^1] = new IdRange(ranges[^1].First, id);
            }
            else
            {
                ranges.Add(new IdRange(id, id));
            }
        }

        return ranges;
    }
}
