using Ingest.Routing;
using Ingest.Sequencing;
using Ingest.Tests.Routing;

namespace Ingest.Tests.Sequencing;

public sealed class DepthContinuityTests
{
    public static TheoryData<string, string> Files => CapturedFrames.Files;

    [Theory]
    [MemberData(nameof(Files))]
    public void RecordedChains_AreGapless(string folder, string file)
    {
        var continuity = new DepthContinuity();
        var firsts = 0;
        var continuous = 0;
        foreach (var frame in CapturedFrames.Read(folder, file))
        {
            Assert.True(FrameRouter.TryRoute(frame, out var route));
            if (route.Kind != FrameKind.DepthUpdate)
            {
                continue;
            }

            var symbol = System.Text.Encoding.UTF8.GetString(frame.AsSpan(route.Symbol));
            var observation = continuity.Observe(symbol, route.FirstUpdateId, route.FinalUpdateId, route.PreviousFinalUpdateId);
            Assert.True(observation.Kind is DepthObservationKind.First or DepthObservationKind.Continuous, $"{symbol} U={route.FirstUpdateId} u={route.FinalUpdateId}: {observation.Kind}");
            firsts += observation.Kind == DepthObservationKind.First ? 1 : 0;
            continuous += observation.Kind == DepthObservationKind.Continuous ? 1 : 0;
            Assert.Equal(route.FinalUpdateId, continuity.LastFinalUpdateId(symbol));
        }

        Assert.InRange(firsts, 1, 10);
        Assert.True(continuous > 100);
    }

    [Fact]
    public void Spot_OverlapsContinue_StaleIsDropped_GapsNameTheMissingIds()
    {
        var continuity = new DepthContinuity();
        Assert.Equal(DepthObservationKind.First, continuity.Observe("S", 10, 20, null).Kind);
        Assert.Equal(DepthObservationKind.Continuous, continuity.Observe("S", 21, 25, null).Kind);
        Assert.Equal(DepthObservationKind.Continuous, continuity.Observe("S", 23, 30, null).Kind);
        var stale = continuity.Observe("S", 26, 30, null);
        Assert.Equal(DepthObservationKind.Stale, stale.Kind);
        Assert.Equal(30, stale.PreviousLast);
        Assert.Equal(30, continuity.LastFinalUpdateId("S"));
        var gap = continuity.Observe("S", 35, 40, null);
        Assert.Equal(DepthObservationKind.Gap, gap.Kind);
        Assert.Equal(new IdInterval(31, 34), gap.Missing);
        Assert.Equal((31L, 34L), (gap.MissingFirst, gap.MissingLast));
        Assert.Equal(DepthObservationKind.Continuous, continuity.Observe("S", 41, 41, null).Kind);

        continuity.Reset("S");
        Assert.Null(continuity.LastFinalUpdateId("S"));
        Assert.Equal(DepthObservationKind.First, continuity.Observe("S", 100, 120, null).Kind);
    }

    [Fact]
    public void Futures_ChainOnPu()
    {
        var continuity = new DepthContinuity();
        Assert.Equal(DepthObservationKind.First, continuity.Observe("F", 1000, 1010, 990).Kind);
        Assert.Equal(DepthObservationKind.Continuous, continuity.Observe("F", 1050, 1080, 1010).Kind);
        Assert.Equal(DepthObservationKind.Stale, continuity.Observe("F", 1050, 1080, 1010).Kind);
        var gap = continuity.Observe("F", 1200, 1300, 1150);
        Assert.Equal(DepthObservationKind.Gap, gap.Kind);
        Assert.Equal(new IdInterval(1081, 1150), gap.Missing);

        // Overlapping the last event without chaining from it: no id known missing, but the chain broke.
        var broken = continuity.Observe("F", 1250, 1400, 1290);
        Assert.Equal(DepthObservationKind.Gap, broken.Kind);
        Assert.Equal(0, broken.Missing.Count);
        Assert.Equal(1400, continuity.LastFinalUpdateId("F"));
    }

    [Theory]
    [InlineData(1234, false)]
    [InlineData(1235, false)]
    [InlineData(1234, true)]
    [InlineData(1235, true)]
    public void GeneratedChains_ReportExactlyTheDroppedIds(int seed, bool futures)
    {
        var random = new Random(seed);
        var events = new List<(long U, long u, long? pu)>();
        var last = 5_000_000L;
        for (var i = 0; i < 5000; i++)
        {
            var first = futures ? last + random.Next(1, 50) : last + 1;
            var final = first + random.Next(0, 20);
            events.Add((first, final, futures ? last : null));
            last = final;
        }

        var continuity = new DepthContinuity();
        Assert.Equal(DepthObservationKind.First, continuity.Observe("X", events[0].U, events[0].u, events[0].pu).Kind);
        var delivered = events[0];
        var dropped = new List<(long U, long u, long? pu)>();
        for (var i = 1; i < events.Count; i++)
        {
            var e = events[i];
            if (random.Next(10) == 0)
            {
                dropped.Add(e);
                continue;
            }

            if (random.Next(20) == 0)
            {
                // The other region's copy of an event already applied.
                var old = events[random.Next(Math.Max(0, i - 30), i)];
                if (old.u <= delivered.u)
                {
                    Assert.Equal(DepthObservationKind.Stale, continuity.Observe("X", old.U, old.u, old.pu).Kind);
                }
            }

            var observation = continuity.Observe("X", e.U, e.u, e.pu);
            if (dropped.Count == 0)
            {
                Assert.Equal(DepthObservationKind.Continuous, observation.Kind);
            }
            else
            {
                Assert.Equal(DepthObservationKind.Gap, observation.Kind);
                var expected = futures ? new IdInterval(delivered.u + 1, dropped[^1].u) : new IdInterval(dropped[0].U, dropped[^1].u);
                Assert.Equal(expected, observation.Missing);
                dropped.Clear();
            }

            delivered = e;
        }
    }
}
