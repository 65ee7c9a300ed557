using ExchangeSimulator.Replay;

namespace ExchangeSimulator.Tests.Replay;

/// <summary>AdvanceTo's contract on real recordings: time order across files, each event once, nothing early, and the same bytes on every load.</summary>
public sealed class ReplayOrderingTests
{
    [Theory]
    [InlineData(1, 3_000_000)]
    [InlineData(2, 150_000)]
    public async Task AdvanceTo_InSteps_EmitsExactlyTheEventsUpToEachStepOnceInTimeOrder(int seed, int maxStepUs)
    {
        var files = new[] { ReplayFiles.Recording("cryptofeed", "3525dc8", "BINANCE.ws.1.0") };
        var (_, everything) = await ReplayFiles.ReplayAllAsync(new() { Files = files });
        var source = await ReplayFiles.LoadAsync(files);
        var emitted = new ReplayedEvents();
        var steps = new Random(seed);
        var untilUs = source.StartUs - 1;
        Assert.Equal(untilUs, source.NowUs);

        while (untilUs < source.EndUs)
        {
            var previousUs = untilUs;
            untilUs += steps.Next(1, maxStepUs);
            var before = emitted.All.Count;
            source.AdvanceTo(untilUs, emitted);

            Assert.Equal(untilUs, source.NowUs);
            Assert.Equal(everything.All.Count(e => e.TimeUs <= untilUs), emitted.All.Count);
            Assert.All(emitted.All.Skip(before), e => Assert.InRange(e.TimeUs, previousUs + 1, untilUs));
        }

        Assert.Equal(everything.All.Count, source.EmittedCount);
        Assert.Equal(source.EventCount, source.EmittedCount);
        Assert.All(emitted.All.Zip(emitted.All.Skip(1)), pair => Assert.True(pair.First.TimeUs <= pair.Second.TimeUs));
        Assert.Equal(everything.Fingerprint(source.Flavor), emitted.Fingerprint(source.Flavor));
        Assert.Contains(emitted.All, e => e.Trade is not null);
        Assert.Contains(emitted.All, e => e.Depth is not null);
        Assert.Contains(emitted.All, e => e.Kline is not null);
    }

    [Fact]
    public async Task AdvanceTo_BackwardsOrRepeated_EmitsNothingAndKeepsNow()
    {
        var source = await ReplayFiles.LoadAsync(ReplayFiles.SpotCryptofeed);
        var events = new ReplayedEvents();
        var middleUs = source.StartUs + ((source.EndUs!.Value - source.StartUs) / 2);
        source.AdvanceTo(middleUs, events);
        var count = events.All.Count;

        source.AdvanceTo(middleUs, events);
        source.AdvanceTo(source.StartUs, events);

        Assert.Equal(count, events.All.Count);
        Assert.Equal(middleUs, source.NowUs);
        Assert.InRange(count, 1, source.EventCount - 1);
    }

    [Fact]
    public async Task LoadAsync_SameFilesTwice_ReplaysIdenticalSequences()
    {
        ReplayOptions options = new()
        {
            Files = [ReplayFiles.SpotCryptofeed, ReplayFiles.HftBacktestDay1, ReplayFiles.HftBacktestDay2, ReplayFiles.BtcUsdtAggTradesCsv],
        };

        var (first, firstEvents) = await ReplayFiles.ReplayAllAsync(options);
        var (second, secondEvents) = await ReplayFiles.ReplayAllAsync(options);

        Assert.Equal(firstEvents.Fingerprint(first.Flavor), secondEvents.Fingerprint(second.Flavor));
        Assert.Equal(first.Symbols, second.Symbols);
        Assert.Equal(first.SkippedEvents, second.SkippedEvents);
        Assert.Equal(firstEvents.All.Select(e => e.TimeUs).Order(), firstEvents.All.Select(e => e.TimeUs));
        // The four files span 2021, 2024 and 2026: one replay, merged by time.
        Assert.Equal(["BTCUSDT", "FTMUSDT", "SXPBTC", "XMRBTC", "BADGERBTC"], first.Symbols.Select(s => s.Name));
    }

    [Fact]
    public async Task LoadAsync_HftBacktestDays_MergeIntoOneGaplessDepthChain()
    {
        var (source, events) = await ReplayFiles.ReplayAllAsync(new() { Files = [ReplayFiles.HftBacktestDay2, ReplayFiles.HftBacktestDay1] });
        var depth = events.DepthUpdates.ToList();

        Assert.Equal(3451 + 3044, depth.Count);
        Assert.All(depth.Zip(depth.Skip(1)), pair => Assert.Equal(pair.First.FinalUpdateId + 1, pair.Second.FirstUpdateId));
        // Spot prints no pu: the replay fills it with the previous event's u (U - 1 for the first).
        Assert.All(depth.Zip(depth.Skip(1)), pair => Assert.Equal(pair.First.FinalUpdateId, pair.Second.PreviousFinalUpdateId));
        Assert.Equal(depth[0].FirstUpdateId - 1, depth[0].PreviousFinalUpdateId);
        Assert.Equal(9757 + 10147, source.SkippedEvents["trade"]);
        Assert.True(source.SkippedEvents["bookTicker"] > 28040);
    }
}
