using Ingest.Sequencing;

namespace Ingest.Tests.Sequencing;

public sealed class AggTradeSequencerTests
{
    [Fact]
    public void Sequence_ReportsFirstContinuousDuplicateGapAndFills()
    {
        var sequencer = new AggTradeSequencer();
        Assert.Null(sequencer.LastId("BTCUSDT"));
        Assert.Equal(AggTradeObservationKind.First, sequencer.Observe("BTCUSDT", 100, 1_000).Kind);
        Assert.Equal(AggTradeObservationKind.Continuous, sequencer.Observe("BTCUSDT", 101, 1_001).Kind);
        Assert.Equal(AggTradeObservationKind.Duplicate, sequencer.Observe("BTCUSDT", 101, 1_001).Kind);
        Assert.Equal(AggTradeObservationKind.Duplicate, sequencer.Observe("BTCUSDT", 100, 1_000).Kind);

        var gap = sequencer.Observe("BTCUSDT", 110, 1_050);
        Assert.Equal(AggTradeObservationKind.Gap, gap.Kind);
        Assert.Equal(new IdInterval(102, 109), gap.Missing);
        Assert.Equal((1_001L, 1_050L), (gap.GapStartMs, gap.GapEndMs));
        Assert.Equal(110, sequencer.LastId("BTCUSDT"));
        Assert.Equal([new IdInterval(102, 109)], sequencer.OpenHoles("BTCUSDT"));

        // A fill in the middle splits the hole; the gap closes only with its last id.
        var fill = sequencer.Observe("BTCUSDT", 105, 1_020);
        Assert.Equal(AggTradeObservationKind.FillsHole, fill.Kind);
        Assert.False(fill.GapClosed);
        Assert.Equal([new IdInterval(102, 104), new IdInterval(106, 109)], sequencer.OpenHoles("BTCUSDT"));
        Assert.Equal(AggTradeObservationKind.Duplicate, sequencer.Observe("BTCUSDT", 105, 1_020).Kind);
        foreach (var id in new long[] { 102, 104, 103, 109, 106, 108 })
        {
            var partial = sequencer.Observe("BTCUSDT", id, 1_020);
            Assert.Equal(AggTradeObservationKind.FillsHole, partial.Kind);
            Assert.False(partial.GapClosed);
        }

        var last = sequencer.Observe("BTCUSDT", 107, 1_030);
        Assert.True(last.GapClosed);
        Assert.Equal(new IdInterval(102, 109), last.ClosedGap);
        Assert.Empty(sequencer.OpenHoles("BTCUSDT"));
        Assert.Equal(110, sequencer.LastId("BTCUSDT"));
        Assert.Equal(AggTradeObservationKind.First, sequencer.Observe("ETHUSDT", 5, 1_000).Kind);
        Assert.Empty(sequencer.OpenHoles("SOLUSDT"));
    }

    [Fact]
    public void MarkReconnected_FlagsTheNextObservationOnly()
    {
        var sequencer = new AggTradeSequencer();
        sequencer.MarkReconnected("BTCUSDT");
        Assert.False(sequencer.Observe("BTCUSDT", 10, 1).NeedsVerification);

        sequencer.MarkReconnected("BTCUSDT");
        var continuous = sequencer.Observe("BTCUSDT", 11, 2);
        Assert.Equal(AggTradeObservationKind.Continuous, continuous.Kind);
        Assert.True(continuous.NeedsVerification);
        Assert.Equal(11, continuous.VerifyFromId);
        Assert.False(sequencer.Observe("BTCUSDT", 12, 3).NeedsVerification);

        sequencer.MarkReconnected("BTCUSDT");
        var gap = sequencer.Observe("BTCUSDT", 20, 4);
        Assert.Equal(AggTradeObservationKind.Gap, gap.Kind);
        Assert.True(gap.NeedsVerification);
        Assert.Equal(13, gap.VerifyFromId);
        Assert.Equal(new IdInterval(13, 19), gap.Missing);
    }

    [Fact]
    public void HoleCap_GivesUpTheOldestHole_AndItsIdsBecomeUntracked()
    {
        var sequencer = new AggTradeSequencer(maxOpenHolesPerSymbol: 2);
        sequencer.Observe("X", 1, 0);
        Assert.False(sequencer.Observe("X", 3, 0).HoleGivenUp);
        Assert.False(sequencer.Observe("X", 5, 0).HoleGivenUp);
        var third = sequencer.Observe("X", 7, 0);
        Assert.Equal(AggTradeObservationKind.Gap, third.Kind);
        Assert.True(third.HoleGivenUp);
        Assert.Equal(new IdInterval(2, 2), third.GivenUp);
        Assert.Equal([new IdInterval(4, 4), new IdInterval(6, 6)], sequencer.OpenHoles("X"));
        Assert.Equal(AggTradeObservationKind.Untracked, sequencer.Observe("X", 2, 0).Kind);
        Assert.Equal(AggTradeObservationKind.Untracked, sequencer.Observe("X", 0, 0).Kind);
        Assert.Equal(AggTradeObservationKind.FillsHole, sequencer.Observe("X", 4, 0).Kind);

        // A split can exceed the cap too.
        var splitter = new AggTradeSequencer(maxOpenHolesPerSymbol: 1);
        splitter.Observe("X", 1, 0);
        splitter.Observe("X", 10, 0);
        var split = splitter.Observe("X", 5, 0);
        Assert.Equal(AggTradeObservationKind.FillsHole, split.Kind);
        Assert.True(split.HoleGivenUp);
        Assert.Equal(new IdInterval(2, 4), split.GivenUp);
        Assert.Equal([new IdInterval(6, 9)], splitter.OpenHoles("X"));
    }

    [Theory]
    [InlineData(1234)]
    [InlineData(1235)]
    [InlineData(1236)]
    [InlineData(1237)]
    public void ShuffledStreamsWithDropsAndDuplicates_AreAccountedExactly(int seed)
    {
        var random = new Random(seed);
        const long Base = 3_800_397_495;
        var count = random.Next(200, 3000);
        var arrivals = AggTradeArrivals.Generate(random, Base, count);
        var sequencer = new AggTradeSequencer(maxOpenHolesPerSymbol: 100_000);
        var seen = new HashSet<long>();
        var gaps = new List<IdInterval>();
        var closedGaps = new List<IdInterval>();
        long? high = null;
        foreach (var id in arrivals)
        {
            var observation = sequencer.Observe("BTCUSDT", id, id * 10);
            var expected = high is null ? AggTradeObservationKind.First
                : seen.Contains(id) ? AggTradeObservationKind.Duplicate
                : id == high + 1 ? AggTradeObservationKind.Continuous
                : id > high ? AggTradeObservationKind.Gap
                : AggTradeObservationKind.FillsHole;
            Assert.Equal(expected, observation.Kind);
            if (expected == AggTradeObservationKind.Gap)
            {
                Assert.Equal(new IdInterval(high!.Value + 1, id - 1), observation.Missing);
                Assert.Equal((high.Value * 10, id * 10), (observation.GapStartMs, observation.GapEndMs));
                gaps.Add(observation.Missing);
            }

            if (observation.GapClosed)
            {
                // Closed exactly when the last id of its gap arrived.
                Assert.Equal(AggTradeObservationKind.FillsHole, expected);
                Assert.Contains(observation.ClosedGap, gaps);
                Assert.True(observation.ClosedGap.Contains(id));
                for (var missing = observation.ClosedGap.First; missing <= observation.ClosedGap.Last; missing++)
                {
                    Assert.True(missing == id || seen.Contains(missing));
                }

                closedGaps.Add(observation.ClosedGap);
            }
            else if (expected == AggTradeObservationKind.FillsHole)
            {
                // Not closed: some other id of its gap is still missing.
                var gap = gaps.Single(g => g.Contains(id));
                var remaining = false;
                for (var other = gap.First; other <= gap.Last; other++)
                {
                    remaining |= other != id && !seen.Contains(other);
                }

                Assert.True(remaining);
            }

            seen.Add(id);
            high = high is null ? id : Math.Max(high.Value, id);
            Assert.False(observation.HoleGivenUp);
            Assert.Equal(high, sequencer.LastId("BTCUSDT"));
        }

        // Every id never delivered is in exactly one reported gap, and the open holes are exactly those ids.
        var missingIds = new List<long>();
        for (var id = Base; id <= high; id++)
        {
            var containing = gaps.Count(g => g.Contains(id));
            if (!seen.Contains(id))
            {
                missingIds.Add(id);
                Assert.Equal(1, containing);
            }
            else
            {
                Assert.True(containing <= 1);
            }
        }

        Assert.Equal(AggTradeArrivals.ToIntervals(missingIds), sequencer.OpenHoles("BTCUSDT"));
        Assert.Equal(gaps.Where(g => !missingIds.Any(g.Contains)).OrderBy(g => g.First), closedGaps.OrderBy(g => g.First));
        Assert.Equal(closedGaps.Count, closedGaps.Distinct().Count());
    }
}
