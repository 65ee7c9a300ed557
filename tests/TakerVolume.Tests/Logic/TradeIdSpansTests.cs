using Streaming.Processing.Idempotence;
using TakerVolume.Windows;

namespace TakerVolume.Tests.Logic;

public sealed class TradeIdSpansTests
{
    private const int Cases = 400;

    [Fact]
    public void Add_AdjacentSpans_MergeInEitherOrder()
    {
        var forward = new TradeIdSpans();
        forward.Add(1, 3);
        forward.Add(4, 6);

        var backward = new TradeIdSpans();
        backward.Add(4, 6);
        backward.Add(1, 3);

        Assert.Equal([new IdRange(1, 6)], forward.Spans);
        Assert.Equal([new IdRange(1, 6)], backward.Spans);
    }

    [Fact]
    public void Add_FillingTheGapBetweenTwoSpans_JoinsAllThree()
    {
        var spans = new TradeIdSpans();
        spans.Add(10, 12);
        spans.Add(16, 18);
        spans.Add(20, 20);
        Assert.Equal([new IdRange(10, 12), new IdRange(16, 18), new IdRange(20, 20)], spans.Spans);

        spans.Add(13, 15);

        Assert.Equal([new IdRange(10, 18), new IdRange(20, 20)], spans.Spans);
    }

    [Fact]
    public void Add_NonAdjacentSpanBeforeAll_StaysSeparateAndSorted()
    {
        var spans = new TradeIdSpans();
        spans.Add(100, 100);
        spans.Add(50, 98);
        spans.Add(102, 110);

        Assert.Equal([new IdRange(50, 98), new IdRange(100, 100), new IdRange(102, 110)], spans.Spans);
        Assert.Equal([new IdRange(99, 99), new IdRange(101, 101)], spans.Missing(50, 110));
        Assert.Equal([new IdRange(40, 49), new IdRange(99, 99), new IdRange(101, 101), new IdRange(111, 120)], spans.Missing(40, 120));
    }

    [Fact]
    public void Missing_NothingCounted_IsTheWholeRange()
    {
        var spans = new TradeIdSpans();

        Assert.Equal([new IdRange(7, 9)], spans.Missing(7, 9));
    }

    [Fact]
    public void Missing_QueryInsideOneSpan_IsEmpty()
    {
        var spans = new TradeIdSpans();
        spans.Add(5_000_000_000, 5_000_000_100);

        Assert.Empty(spans.Missing(5_000_000_000, 5_000_000_100));
        Assert.Empty(spans.Missing(5_000_000_050, 5_000_000_050));
        Assert.Equal([new IdRange(5_000_000_101, 5_000_000_101)], spans.Missing(5_000_000_100, 5_000_000_101));
    }

    /// <summary>Disjoint ranges (as real aggregate trades are) added in random order, with many adjacent to each other.</summary>
    [Fact]
    public void AddAndMissing_DisjointRangesInRandomOrder_MatchABooleanArray()
    {
        LogicSeeds.Check(Cases, seed =>
        {
            var random = new Random(seed);
            var universe = random.Next(1, 160);
            var offset = random.Next(2) == 0 ? 0L : 9_000_000_000L + random.Next(1000);

            // Cut 0..universe-1 into consecutive pieces; keep a random subset of them (dense: many adjacent pieces).
            var pieces = new List<(long First, long Last)>();
            var keepPercent = random.Next(30, 101);
            for (var id = 0; id < universe;)
            {
                var length = random.Next(1, 6);
                var last = Math.Min(universe - 1, id + length - 1);
                if (random.Next(100) < keepPercent)
                {
                    pieces.Add((id, last));
                }

                id = last + 1;
            }

            LogicSeeds.Shuffle(random, pieces);
            CheckAgainstNaive(random, universe, offset, pieces);
        });
    }

    /// <summary>Arbitrary, overlapping and nested ranges: the merge must still be exact.</summary>
    [Fact]
    public void AddAndMissing_OverlappingRangesInRandomOrder_MatchABooleanArray()
    {
        LogicSeeds.Check(Cases, seed =>
        {
            var random = new Random(seed);
            var universe = random.Next(1, 120);
            var pieces = new List<(long First, long Last)>();
            var count = random.Next(0, 30);
            for (var i = 0; i < count; i++)
            {
                var first = random.Next(universe);
                var last = Math.Min(universe - 1, first + random.Next(0, 15));
                pieces.Add((first, last));
            }

            CheckAgainstNaive(random, universe, 0, pieces);
        });
    }

    private static void CheckAgainstNaive(Random random, int universe, long offset, List<(long First, long Last)> pieces)
    {
        var spans = new TradeIdSpans();
        var covered = new bool[universe];
        foreach (var (first, last) in pieces)
        {
            spans.Add(offset + first, offset + last);
            for (var id = first; id <= last; id++)
            {
                covered[id] = true;
            }

            // The invariant holds after every step: sorted, disjoint, not adjacent.
            for (var i = 1; i < spans.Spans.Count; i++)
            {
                Assert.True(spans.Spans[i - 1].Last + 1 < spans.Spans[i].First, $"spans {spans.Spans[i - 1]} and {spans.Spans[i]} are not sorted, disjoint and apart");
            }
        }

        Assert.Equal(Runs(covered, 0, universe - 1, value: true, offset), spans.Spans);

        for (var query = 0; query < 8; query++)
        {
            // Queries reach below and above every counted id.
            var from = random.Next(-5, universe + 5);
            var to = random.Next(from, universe + 10);
            var expected = new List<IdRange>();
            var inside = Runs(covered, Math.Max(from, 0), Math.Min(to, universe - 1), value: false, offset);
            if (from < 0)
            {
                inside.Insert(0, new IdRange(offset + from, offset + Math.Min(to, -1)));
            }

            if (to >= universe)
            {
                inside.Add(new IdRange(offset + Math.Max(from, universe), offset + to));
            }

            // Runs that touch at 0 or at universe are one range.
            foreach (var range in inside)
            {
                if (expected.Count > 0 && expected[^1].Last + 1 == range.First)
                {
                    expected[^1] = new IdRange(expected[^1].First, range.Last);
                }
                else
                {
                    expected.Add(range);
                }
            }

            Assert.Equal(expected, spans.Missing(offset + from, offset + to));
        }
    }

    /// <summary>The maximal runs of <paramref name="value"/> in covered[from..to].</summary>
    private static List<IdRange> Runs(bool[] covered, int from, int to, bool value, long offset)
    {
        var runs = new List<IdRange>();
        var start = -1;
        for (var id = from; id <= to + 1; id++)
        {
            var matches = id <= to && covered[id] == value;
            if (matches && start < 0)
            {
                start = id;
            }
            else if (!matches && start >= 0)
            {
                runs.Add(new IdRange(offset + start, offset + id - 1));
                start = -1;
            }
        }

        return runs;
    }
}
