using Streaming.Processing.Idempotence;
using TakerVolume.Dedup;

namespace TakerVolume.Tests.Logic;

public sealed class SymbolDedupTests
{
    private const long Timeout = 30_000;

    [Fact]
    public void TryAccept_EachIdOnce_AndAHoleAfterLargerIds()
    {
        var dedup = New();

        Assert.True(Accept(dedup, 5, 1000));
        Assert.True(Accept(dedup, 8, 1000));
        Assert.False(Accept(dedup, 8, 1000));
        Assert.True(Accept(dedup, 6, 1000));
        Assert.False(Accept(dedup, 6, 1000));
        Assert.False(Accept(dedup, 5, 1000));
        Assert.False(Accept(dedup, 4, 1000)); // before the first id: the history starts at 5
        Assert.True(Accept(dedup, 7, 1000));
        Assert.Equal(8, dedup.Seen.Contiguous);
    }

    [Fact]
    public void TryAccept_FirstTradeId_IsTheLowestCountedAndIgnoresInvalidRowsAndRepeats()
    {
        var dedup = New();
        Assert.True(dedup.TryAccept(10, 1000, 0, out _));
        Assert.True(dedup.TryAccept(12, 1200, 0, out _));
        Assert.True(dedup.TryAccept(11, 1100, 0, out _));
        Assert.True(dedup.TryAccept(13, -1, 0, out _));
        Assert.False(dedup.TryAccept(10, 1, 0, out _));

        Assert.Equal(1000, dedup.FirstTradeId);
        Assert.Equal(-1, New().FirstTradeId);
    }

    [Fact]
    public void TryAccept_IdSkippingAhead_StartsOneTimerPerNewHole()
    {
        var dedup = New();
        Accept(dedup, 10, 500);
        Accept(dedup, 11, 600);
        Assert.Empty(dedup.Holes);

        Accept(dedup, 15, 1000);
        Assert.Equal([new HoleTimer(new IdRange(12, 14), 1000, Reported: false)], dedup.Holes);

        Accept(dedup, 13, 2000); // inside the hole: no new timer
        Accept(dedup, 16, 2500); // right after the highest: no hole
        Accept(dedup, 20, 3000);
        Assert.Equal([new HoleTimer(new IdRange(12, 14), 1000, Reported: false), new HoleTimer(new IdRange(17, 19), 3000, Reported: false)], dedup.Holes);
    }

    [Fact]
    public void CheckHoles_HoleOpenForTheTimeout_IsReportedOnce()
    {
        var dedup = New();
        Accept(dedup, 10, 0);
        Accept(dedup, 15, 1000);

        var (opened, filled) = Check(dedup, 1000 + Timeout - 1);
        Assert.Empty(opened);
        Assert.Empty(filled);

        (opened, filled) = Check(dedup, 1000 + Timeout);
        Assert.Equal([new HoleTimer(new IdRange(11, 14), 1000, Reported: true)], opened);
        Assert.Empty(filled);

        (opened, filled) = Check(dedup, 1000 + (10 * Timeout));
        Assert.Empty(opened);
        Assert.Empty(filled);
        Assert.Equal([new HoleTimer(new IdRange(11, 14), 1000, Reported: true)], dedup.Holes);
    }

    [Fact]
    public void CheckHoles_ReportedHoleFilledLater_IsReportedFilled()
    {
        var dedup = New();
        Accept(dedup, 10, 0);
        Accept(dedup, 13, 1000);
        Check(dedup, 1000 + Timeout);
        Accept(dedup, 12, 40_000);
        Accept(dedup, 11, 40_000);

        var (opened, filled) = Check(dedup, 40_000);

        Assert.Empty(opened);
        Assert.Equal([new HoleTimer(new IdRange(11, 12), 1000, Reported: true)], filled);
        Assert.Empty(dedup.Holes);
        Assert.Empty(dedup.Seen.Holes);
    }

    [Fact]
    public void CheckHoles_ReportedHolePartlyFilled_IsReportedFilledAndItsRestReportedAgainLater()
    {
        var dedup = New();
        Accept(dedup, 10, 0);
        Accept(dedup, 15, 1000);
        Check(dedup, 1000 + Timeout);
        Accept(dedup, 12, 40_000);

        var (opened, filled) = Check(dedup, 40_000);

        Assert.Equal([new HoleTimer(new IdRange(11, 14), 1000, Reported: true)], filled);
        Assert.Empty(opened);
        Assert.Equal([new HoleTimer(new IdRange(11, 11), 1000, Reported: false), new HoleTimer(new IdRange(13, 14), 1000, Reported: false)], dedup.Holes);

        (opened, filled) = Check(dedup, 40_001);

        Assert.Equal([new HoleTimer(new IdRange(11, 11), 1000, Reported: true), new HoleTimer(new IdRange(13, 14), 1000, Reported: true)], opened);
        Assert.Empty(filled);
    }

    [Fact]
    public void CheckHoles_UnreportedHoleFilledOrSplit_ReportsNothingAndKeepsTheOpeningTime()
    {
        var dedup = New();
        Accept(dedup, 10, 0);
        Accept(dedup, 15, 1000);
        Accept(dedup, 20, 2000);
        Accept(dedup, 12, 3000); // splits 11..14
        Accept(dedup, 16, 3000);
        Accept(dedup, 17, 3000);
        Accept(dedup, 18, 3000);
        Accept(dedup, 19, 3000); // fills 16..19

        var (opened, filled) = Check(dedup, 1000 + Timeout - 1);

        Assert.Empty(opened);
        Assert.Empty(filled);
        Assert.Equal([new HoleTimer(new IdRange(11, 11), 1000, false), new HoleTimer(new IdRange(13, 14), 1000, false)], dedup.Holes);

        (opened, _) = Check(dedup, 1000 + Timeout);
        Assert.Equal([new IdRange(11, 11), new IdRange(13, 14)], opened.Select(timer => timer.Range));
    }

    [Fact]
    public void TryAccept_TooManyHoles_SettlesTheOldestAndDropsItsTimer()
    {
        var dedup = New(maxRanges: 2);
        Assert.True(dedup.TryAccept(1, 10, 0, out var settled));
        Assert.True(dedup.TryAccept(3, 30, 0, out settled));
        Assert.True(dedup.TryAccept(5, 50, 0, out settled));
        Assert.Null(settled);

        Assert.True(dedup.TryAccept(7, 70, 0, out settled));

        Assert.Equal(new IdRange(2, 2), settled);
        Assert.Equal([new IdRange(4, 4), new IdRange(6, 6)], dedup.Holes.Select(timer => timer.Range));
        Assert.False(Accept(dedup, 2, 0)); // given up: rejected from now on
    }

    /// <summary>
    /// Input: max ranges 1; ids 4, 11 (hole 5..10, one timer), then 7. Accepting 7 splits the hole into 5..6 and
    /// 8..10 and, being one range too many, settles 5..6. The timer must keep what lies beyond the settled ids, or the
    /// hole 8..10, still open in the tracker, would never be reported (a silent hole; the bug this test was written
    /// for: TryAccept used to remove every timer overlapping the settled range, i.e. the whole 5..10 timer).
    /// </summary>
    [Fact]
    public void TryAccept_SettledHoleThatWasPartOfALargerTimer_KeepsATimerForTheRest()
    {
        var dedup = New(maxRanges: 1);
        Accept(dedup, 4, 0);
        Accept(dedup, 11, 1000);

        Assert.True(dedup.TryAccept(7, 70, 2000, out var settled));

        Assert.Equal(new IdRange(5, 6), settled);
        Assert.Equal([new IdRange(8, 10)], dedup.Seen.Holes);
        // The timer keeps what lies beyond the settled ids (7 arrived meanwhile: CheckHoles trims it to 8..10).
        Assert.Equal([new HoleTimer(new IdRange(7, 10), 1000, Reported: false)], dedup.Holes);
        var (trimmedFirst, _) = Check(dedup, 1000 + Timeout);
        Assert.Empty(trimmedFirst);
        var (opened, _) = Check(dedup, 1000 + Timeout);
        Assert.Equal([new IdRange(8, 10)], opened.Select(timer => timer.Range));
    }

    [Fact]
    public void Serde_RoundTrip_KeepsTrackerTimersAndCounters()
    {
        var dedup = New();
        Accept(dedup, 100, 0);
        Accept(dedup, 105, 1000);
        Accept(dedup, 110, 2000);
        Check(dedup, 1000 + Timeout);
        dedup.GapRevision = 7;
        var serde = new SymbolDedupSerde(SequenceTracker.DefaultMaxRanges);

        var bytes = serde.Serialize(dedup);
        var copy = serde.Deserialize(bytes);

        Assert.Equal(dedup.Seen, copy.Seen);
        Assert.Equal(dedup.Holes, copy.Holes);
        Assert.Equal(10_000, copy.FirstTradeId);
        Assert.Equal(7, copy.GapRevision);
        Assert.Equal(SequenceTracker.DefaultMaxRanges, copy.Seen.MaxRanges);
        Assert.Equal(bytes, serde.Serialize(copy));

        // The copy reports what the original would.
        Accept(copy, 103, 50_000);
        Accept(dedup, 103, 50_000);
        Assert.Equal(Check(dedup, 2000 + Timeout), Check(copy, 2000 + Timeout), new ReportsComparer());
        Assert.Equal(serde.Serialize(dedup), serde.Serialize(copy));
    }

    /// <summary>
    /// Ids delivered reordered, duplicated, late or never, with checks at random times: every id is accepted once;
    /// timers cover exactly the open holes after each check; a hole is reported open once it has been open for the
    /// timeout, never twice, only while missing; a reported hole that gets (partly) filled is reported filled; and in
    /// the end every id still missing has been reported (none silent).
    /// </summary>
    [Theory]
    [InlineData(SequenceTracker.DefaultMaxRanges)]
    [InlineData(3)]
    public void TryAcceptAndCheckHoles_RandomDeliveries_ReportEveryHoleExactlyAsSpecified(int maxRanges)
    {
        LogicSeeds.Check(300, seed => Simulate(new Random(seed), maxRanges));
    }

    /// <summary>The same with settling, checking only what the settling bug does not touch: ids once, settled ranges, reports only while missing.</summary>
    [Fact]
    public void TryAccept_RandomDeliveriesWithSettling_AcceptEachIdOnceAndSettleTheOldestHole()
    {
        LogicSeeds.Check(300, seed => Simulate(new Random(seed), maxRanges: 1 + (seed % 3), checkCoverage: false));
    }

    private static void Simulate(Random random, int maxRanges, bool checkCoverage = true)
    {
        var first = random.NextInt64(0, 1_000_000_000);
        var count = random.Next(2, 150);
        var timeout = (long)random.Next(0, 400);
        var stream = new List<long>();
        var late = new List<long>();
        for (var id = first + 1; id < first + count; id++)
        {
            var roll = random.Next(100);
            if (roll < 8)
            {
                continue;
            }

            (roll < 20 ? late : stream).Add(id);
        }

        for (var i = 0; i + 1 < stream.Count; i++)
        {
            if (random.Next(4) == 0)
            {
                var j = Math.Min(stream.Count - 1, i + random.Next(1, 6));
                (stream[i], stream[j]) = (stream[j], stream[i]);
            }
        }

        LogicSeeds.Shuffle(random, late);
        var arrivals = new List<long> { first };
        arrivals.AddRange(stream);
        arrivals.AddRange(late);
        for (var duplicates = random.Next(0, 20); duplicates > 0; duplicates--)
        {
            arrivals.Insert(random.Next(1, arrivals.Count + 1), arrivals[random.Next(arrivals.Count)]);
        }

        var serde = new SymbolDedupSerde(maxRanges);
        var dedup = New(maxRanges);
        var accepted = new HashSet<long>();
        var settledIds = new HashSet<long>();
        var reportedOpen = new HashSet<long>();
        var highest = long.MinValue;
        var firstTradeId = -1L;
        var now = 0L;
        var step = 0;
        foreach (var id in arrivals)
        {
            var context = $"arrival {step++} (id {id}, now {now}, timeout {timeout})";
            now += random.Next(0, 40);
            var tradeId = random.Next(10) == 0 ? -1 : id * 10;
            var holesBefore = dedup.Holes.ToList();
            var expectedAccept = id >= first && !accepted.Contains(id) && !settledIds.Contains(id);

            var result = dedup.TryAccept(id, tradeId, now, out var settled);

            Assert.True(expectedAccept == result, $"{context}: TryAccept returned {result}");
            if (result)
            {
                accepted.Add(id);
                if (tradeId >= 0 && (firstTradeId < 0 || tradeId < firstTradeId))
                {
                    firstTradeId = tradeId;
                }

                if (accepted.Count > 1 && id > highest + 1)
                {
                    Assert.Contains(new HoleTimer(new IdRange(highest + 1, id - 1), now, Reported: false), dedup.Holes);
                }

                highest = Math.Max(highest, id);
            }

            Assert.Equal(firstTradeId, dedup.FirstTradeId);
            if (settled is { } given)
            {
                // The oldest hole: every id below it is counted or settled, every id in it missing.
                Assert.True(maxRanges < SequenceTracker.DefaultMaxRanges, $"{context}: settled {given} with a large bound");
                for (var missing = given.First; missing <= given.Last; missing++)
                {
                    Assert.False(accepted.Contains(missing), $"{context}: settled {given} holds the counted id {missing}");
                    settledIds.Add(missing);
                    reportedOpen.Remove(missing);
                }

                Assert.True(given.First == first || accepted.Contains(given.First - 1) || settledIds.Contains(given.First - 1), $"{context}: settled {given} is not the oldest hole");
                Assert.DoesNotContain(dedup.Holes, timer => timer.Range.First <= given.Last && timer.Range.Last >= given.First);
            }
            else if (!result)
            {
                Assert.Equal(holesBefore, dedup.Holes);
            }

            var open = MissingIds(first, highest, accepted, settledIds);
            if (checkCoverage)
            {
                // No silent hole, even between checks: every missing id has a timer.
                var timed = dedup.Holes.SelectMany(timer => Ids(timer.Range)).ToHashSet();
                Assert.True(open.IsSubsetOf(timed), $"{context}: missing ids without a timer: {string.Join(",", open.Except(timed))}");
            }

            if (random.Next(5) == 0)
            {
                CheckAndVerify(dedup, now, timeout, open, reportedOpen, checkCoverage, context);
            }

            if (random.Next(25) == 0)
            {
                var bytes = serde.Serialize(dedup);
                dedup = serde.Deserialize(bytes);
                Assert.Equal(bytes, serde.Serialize(dedup));
            }
        }

        // Long after the last arrival, two checks report every hole due.
        var final = MissingIds(first, highest, accepted, settledIds);
        now += timeout;
        CheckAndVerify(dedup, now, timeout, final, reportedOpen, checkCoverage, "final check 1");
        CheckAndVerify(dedup, now, timeout, final, reportedOpen, checkCoverage, "final check 2");
        Assert.True(final.SetEquals(dedup.Seen.Holes.SelectMany(Ids)), "the tracker's holes are not the missing ids");
        if (checkCoverage)
        {
            Assert.True(final.SetEquals(reportedOpen), $"missing {string.Join(",", final.Order())} but reported open {string.Join(",", reportedOpen.Order())}");
            Assert.All(dedup.Holes, timer => Assert.True(timer.Reported));
        }
    }

    private static void CheckAndVerify(SymbolDedup dedup, long now, long timeout, HashSet<long> open, HashSet<long> reportedOpen, bool checkCoverage, string context)
    {
        var opened = new List<HoleTimer>();
        var filled = new List<HoleTimer>();
        dedup.CheckHoles(now, timeout, opened, filled);

        foreach (var timer in filled)
        {
            var ids = Ids(timer.Range).ToList();
            Assert.True(timer.Reported, $"{context}: filled {timer} was never reported open");
            Assert.True(ids.Any(id => !open.Contains(id)), $"{context}: filled {timer} is still wholly missing");
            if (checkCoverage)
            {
                Assert.True(ids.All(reportedOpen.Contains), $"{context}: filled {timer} was not reported open");
            }

            reportedOpen.ExceptWith(ids);
        }

        foreach (var timer in opened)
        {
            var ids = Ids(timer.Range).ToList();
            Assert.True(timer.Reported, $"{context}: opened {timer} not marked reported");
            Assert.True(now - timer.OpenedAtMs >= timeout, $"{context}: {timer} reported before the timeout");
            Assert.True(ids.All(open.Contains), $"{context}: {timer} reported open but not wholly missing");
            Assert.True(!ids.Any(reportedOpen.Contains), $"{context}: {timer} reported open twice");
            reportedOpen.UnionWith(ids);
        }

        if (!checkCoverage)
        {
            return;
        }

        // The timers now cover exactly the open holes, disjoint; reported exactly where a report stands.
        var covered = new HashSet<long>();
        foreach (var timer in dedup.Holes)
        {
            foreach (var id in Ids(timer.Range))
            {
                Assert.True(covered.Add(id), $"{context}: timers overlap at {id}");
                Assert.True(timer.Reported == reportedOpen.Contains(id), $"{context}: {timer} disagrees with the reports at {id}");
            }
        }

        Assert.True(covered.SetEquals(open), $"{context}: timers cover {string.Join(",", covered.Order())}, open {string.Join(",", open.Order())}");
    }

    private static HashSet<long> MissingIds(long first, long highest, HashSet<long> accepted, HashSet<long> settled)
    {
        var missing = new HashSet<long>();
        for (var id = first; id <= highest; id++)
        {
            if (!accepted.Contains(id) && !settled.Contains(id))
            {
                missing.Add(id);
            }
        }

        return missing;
    }

    private static IEnumerable<long> Ids(IdRange range)
    {
        for (var id = range.First; id <= range.Last; id++)
        {
            yield return id;
        }
    }

    private static SymbolDedup New(int maxRanges = SequenceTracker.DefaultMaxRanges) => new(new SequenceTracker(maxRanges));

    private static bool Accept(SymbolDedup dedup, long id, long nowMs) => dedup.TryAccept(id, id * 100, nowMs, out _);

    private static (List<HoleTimer> Opened, List<HoleTimer> Filled) Check(SymbolDedup dedup, long nowMs)
    {
        var opened = new List<HoleTimer>();
        var filled = new List<HoleTimer>();
        dedup.CheckHoles(nowMs, Timeout, opened, filled);
        return (opened, filled);
    }

    private sealed class ReportsComparer : IEqualityComparer<(List<HoleTimer> Opened, List<HoleTimer> Filled)>
    {
        public bool Equals((List<HoleTimer> Opened, List<HoleTimer> Filled) x, (List<HoleTimer> Opened, List<HoleTimer> Filled) y) =>
            x.Opened.SequenceEqual(y.Opened) && x.Filled.SequenceEqual(y.Filled);

        public int GetHashCode((List<HoleTimer> Opened, List<HoleTimer> Filled) obj) => obj.Opened.Count + obj.Filled.Count;
    }
}
