using ExchangeSimulator.Faults;
using ExchangeSimulator.Market;
using Streaming.Contracts;
using Streaming.Contracts.Analytics.V1;
using Streaming.Contracts.Common.V1;
using Streaming.Contracts.Market.V1;
using Streaming.Contracts.Ops.V1;
using Streaming.Testing;
using TakerVolume.Tests.EndToEnd;

namespace TakerVolume.Tests.Pipeline;

/// <summary>
/// Issue 7's acceptance test on the simulator under injected faults, Spot and USD-M: exchange → two redundant ingest
/// pods → Kafka → processor, with connections dropped and closed with 1011, both pods down at once (the minute they
/// miss comes back only through their REST backfill), a processor restart, and trades the exchange's own history
/// lost. Every closed window must equal the exchange's ground truth exactly and its kline (MATCH), except the window
/// with the lost trades, whose reconciliation names exactly their trade ids (MISSING_TRADES) and raises a feed gap.
/// </summary>
/// <remarks>
/// The market starts one minute before a 15-minute boundary; at 60× the next window is complete after 16 s of wall time.
/// Every point of the schedule is a simulated time, reached by polling the simulator's clock, never by sleeping.
/// </remarks>
public sealed class SimulatedMarketTests(CatalogKafkaFixture kafka) : IClassFixture<CatalogKafkaFixture>
{
    private const long MinuteUs = 60_000_000;
    private const long WindowMs = 900_000;
    private const decimal LargeTradeQuote = 100_000m;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(MarketFlavor.Spot, 71)]
    [InlineData(MarketFlavor.UsdmFutures, 72)]
    public async Task Faults_everywhere_closed_windows_equal_the_exchange_and_lost_trades_are_named(MarketFlavor flavor, int seed)
    {
        var topics = new Topics(flavor == MarketFlavor.UsdmFutures ? "usdm" : "spot");
        var market = flavor == MarketFlavor.UsdmFutures ? Market.UsdmFutures : Market.Spot;
        await using var pipeline = await SimulatedPipeline.StartAsync(kafka, flavor, seed, symbols: 6, tradesPerSecond: 6);
        var b = pipeline.FirstWindowEndUs;
        var wall = System.Diagnostics.Stopwatch.StartNew();
        var steps = new List<string>();
        void Step(string what) => steps.Add($"{what} at {wall.Elapsed.TotalSeconds:0.0} s wall, {(pipeline.Exchange.Market.NowUs - b) / 1e6:0} s market");
        await pipeline.StartClockWhenSubscribedAsync();

        await pipeline.WaitForMarketTimeAsync(b + MinuteUs, "one minute into the second window");
        Step("drop a");
        await pipeline.InjectAsync("a", new ConnectionFault { Kind = ConnectionFaultKind.Drop });
        await pipeline.WaitForMarketTimeAsync(b + (3 * MinuteUs), "minute 3");
        Step("1011 b");
        await pipeline.InjectAsync("b", new ConnectionFault { Kind = ConnectionFaultKind.Close, CloseCode = 1011 });

        // Both pods down together for at least a simulated minute: those trades reach Kafka only through REST backfill.
        await pipeline.WaitForMarketTimeAsync(b + (5 * MinuteUs), "minute 5");
        Step("stop pod a");
        await pipeline.StopPodAsync("a");
        Step("stop pod b");
        await pipeline.StopPodAsync("b");
        Step("both pods down");
        var downSince = pipeline.Exchange.Market.NowUs;
        await pipeline.WaitForMarketTimeAsync(downSince + MinuteUs, "a minute without any pod");
        var missedWhileDown = pipeline.Exchange.Market.NowUs;
        Step("start pods");
        await pipeline.StartPodAsync("a");
        await pipeline.StartPodAsync("b");

        await pipeline.WaitForMarketTimeAsync(b + (8 * MinuteUs), "minute 8");
        Step("stop processor");
        await pipeline.Processor.StopAsync();
        Step("start processor");
        await pipeline.Processor.StartAsync();

        // Trades the exchange's own history loses, a little ahead on the busiest symbol: never streamed, never served.
        Step("lose trades");
        var busiest = pipeline.Exchange.Market.Symbols.MinBy(s => s.Rank)!.Name;
        var lostFirst = pipeline.Truth(busiest)[^1].AggregateId + 40;
        var lostLast = lostFirst + 2;
        await pipeline.AddHistoryHoleAsync(busiest, lostFirst, lostLast);

        // Past the second window's end, its grace and the hole timer: both windows final, both klines closed.
        await pipeline.WaitForMarketTimeAsync(b + (15 * MinuteUs) + (MinuteUs / 2), "the second window closed");
        Step("stop clock");
        await pipeline.StopClockAsync();
        Assert.True(
            pipeline.Truth(busiest)[^1].AggregateId > lostLast,
            $"the market passed the lost trades {lostFirst}..{lostLast} of {busiest}: its last trade is {pipeline.Truth(busiest)[^1].AggregateId} at {(pipeline.Truth(busiest)[^1].TradeTimeUs - b) / 1e6:0.0} s; trades per minute {string.Join(' ', pipeline.Truth(busiest).GroupBy(t => (t.TradeTimeUs - b) / MinuteUs).Select(g => $"{g.Key}:{g.Count()}"))}, simulated time {(pipeline.Exchange.Market.NowUs - b) / 1e6:0.0} s after the second window's start; {string.Join("; ", steps)}");

        bool Lost(string symbol, long id) => symbol == busiest && id >= lostFirst && id <= lostLast;
        var symbols = pipeline.Exchange.Market.Symbols.Where(s => s.QuoteAsset == "USDT").Select(s => s.Name).ToList();
        var closedWindows = new List<(string Symbol, long StartMs, List<AggregateTrade> Trades)>();
        foreach (var symbol in symbols)
        {
            foreach (var window in pipeline.Truth(symbol).Where(t => t.TradeTimeUs < b + (15 * MinuteUs)).GroupBy(t => WindowStartMs(t.TradeTimeUs)))
            {
                closedWindows.Add((symbol, window.Key, window.ToList()));
            }
        }

        Assert.Contains(closedWindows, w => w.StartMs == (b / 1000) - WindowMs);
        Assert.Contains(closedWindows, w => w.StartMs == b / 1000);

        // Every closed window reconciled with its kline (read_committed, repeats and stale revisions dropped).
        var reconciliations = new Dictionary<string, WindowReconciliation>();
        var unreconciled = await PollAsync(() =>
        {
            reconciliations = TakerVolumeRun.Latest(pipeline.Processor.ReadAll<WindowReconciliation>(topics.Reconciliation), TakerVolumeRun.WindowKey);
            return closedWindows.Select(w => $"{w.Symbol}@{w.StartMs}").Where(k => !reconciliations.ContainsKey(k)).ToList();
        });
        Assert.True(unreconciled.Count == 0, "closed windows without reconciliation: " + string.Join(", ", unreconciled));

        var windows = TakerVolumeRun.Latest(pipeline.Processor.ReadAll<TakerVolumeWindow>(topics.Tumbling), TakerVolumeRun.WindowKey);
        foreach (var (symbol, startMs, trades) in closedWindows)
        {
            var key = $"{symbol}@{startMs}";
            var counted = trades.Where(t => !t.IsMarkedInvalid && !Lost(symbol, t.AggregateId)).ToList();
            var window = windows[key];
            Assert.True(window.Final, $"{key} final");
            Assert.Equal(market, window.Market);
            AssertTotals(key, counted, window);

            var reconciliation = reconciliations[key];
            var lost = trades.Where(t => Lost(symbol, t.AggregateId)).ToList();
            if (lost.Count == 0)
            {
                Assert.True(reconciliation.Outcome == ReconciliationOutcome.Match, $"{key}: {reconciliation.Outcome} {reconciliation.Explanation}");
            }
            else
            {
                Assert.True(reconciliation.Outcome == ReconciliationOutcome.MissingTrades, $"{key}: {reconciliation}, lost {string.Join(",", lost.Select(t => t.AggregateId))}");
                var missing = reconciliation.MissingTradeIds.SelectMany(r => Range(r.First, r.Last)).ToList();
                Assert.Equal(lost.SelectMany(t => Range(t.FirstTradeId, t.LastTradeId)), missing);
            }
        }

        // Each trade the exchange still has is published downstream exactly once: the copies from the second pod, the
        // backfill's overlap and the replay after the restart all dropped; the lost ones never invented.
        var truthIds = symbols.SelectMany(s => pipeline.Truth(s).Where(t => !Lost(s, t.AggregateId)).Select(t => $"{s}#{t.AggregateId}")).ToHashSet();
        var normalized = pipeline.Processor.ReadAll<AggTrade>(topics.Normalized).Select(r => TakerVolumeRun.TradeKey(r.Message.Value)).ToList();
        Assert.Equal(normalized.Count, normalized.Distinct().Count());
        Assert.Subset(truthIds, normalized.ToHashSet());
        var closedTruth = closedWindows.SelectMany(w => w.Trades.Where(t => !Lost(w.Symbol, t.AggregateId)).Select(t => $"{w.Symbol}#{t.AggregateId}"));
        Assert.Superset(closedTruth.ToHashSet(), normalized.ToHashSet());

        // The pods' REST backfill was needed and used: trades made while no pod listened were counted.
        var raw = pipeline.Processor.ReadAll<Streaming.Contracts.Raw.V1.RawEvent>(topics.RawTrades);
        Assert.Contains(raw, r => r.Message.Value.Source == Source.RestBackfill);
        Assert.True(raw.Count > normalized.Count, $"{raw.Count} raw records (two pods) for {normalized.Count} distinct trades");
        Assert.Contains(closedWindows.SelectMany(w => w.Trades), t => t.TradeTimeUs > downSince && t.TradeTimeUs < missedWhileDown);

        // Feed gaps from the processor: the lost trades reported open and never filled; any other hole it timed out on
        // (the backfill racing the live stream) reported filled afterwards.
        var gaps = pipeline.Processor.ReadAll<FeedGap>("binance.all.feed.gaps.v1")
            .Select(r => r.Message.Value)
            .Where(g => g.Market == market && g.DetectedBy.StartsWith("taker-volume-", StringComparison.Ordinal))
            .ToList();
        Assert.Contains(gaps, g => !g.Filled && g.Symbol == busiest && g.MissingIds?.First == lostFirst && g.MissingIds.Last == lostLast);
        Assert.DoesNotContain(gaps, g => g.Filled && g.Symbol == busiest && g.MissingIds?.First <= lostLast && g.MissingIds.Last >= lostFirst);
        foreach (var open in gaps.Where(g => !g.Filled && g.MissingIds is not null && !(g.Symbol == busiest && g.MissingIds.First <= lostLast && g.MissingIds.Last >= lostFirst)))
        {
            Assert.Contains(gaps, g => g.Filled && g.Symbol == open.Symbol && g.MissingIds?.First == open.MissingIds.First && g.MissingIds.Last == open.MissingIds.Last);
        }

        // Large-trade alerts of the closed windows' trades: exactly those of 100,000 USDT or more, by id.
        var closedKeys = closedTruth.ToHashSet();
        var alerts = pipeline.Processor.ReadAll<LargeTradeAlert>(topics.Alerts)
            .Select(r => r.Message.Value)
            .Where(a => a.Kind == AlertKind.LargeTrade)
            .Select(a => $"{a.Symbol}#{a.AggregateTradeId}")
            .Where(closedKeys.Contains)
            .ToHashSet();
        var large = closedWindows.SelectMany(w => w.Trades.Where(t => !t.IsMarkedInvalid && !Lost(w.Symbol, t.AggregateId) && t.QuoteQuantity >= LargeTradeQuote).Select(t => $"{w.Symbol}#{t.AggregateId}"));
        Assert.Equal(large.Order(StringComparer.Ordinal), alerts.Order(StringComparer.Ordinal));

        // The trailing window as of its end holds exactly the trades in (end - 15 min, end] (polled: a value published
        // before a backfilled trade of its span arrived is followed by a corrected one).
        var trailingDifferences = await PollAsync(() => TrailingDifferences(pipeline, topics, symbols, Lost));
        Assert.True(trailingDifferences.Count == 0, "trailing windows differ: " + string.Join("; ", trailingDifferences));
    }

    /// <summary>Re-evaluates <paramref name="differences"/> until it is empty or 60 s pass; returns the last result.</summary>
    private static async Task<List<string>> PollAsync(Func<List<string>> differences)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = differences();
        while (result.Count > 0 && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), Token);
            result = differences();
        }

        return result;
    }

    private static List<string> TrailingDifferences(SimulatedPipeline pipeline, Topics topics, List<string> symbols, Func<string, long, bool> lost)
    {
        var differences = new List<string>();
        var sliding = TakerVolumeRun.Latest(pipeline.Processor.ReadAll<SlidingTakerVolume>(topics.Sliding), s => s.Symbol);
        foreach (var symbol in symbols)
        {
            if (!sliding.TryGetValue(symbol, out var trailing))
            {
                differences.Add($"{symbol}: no trailing value");
                continue;
            }

            var inside = pipeline.Truth(symbol)
                .Where(t => !t.IsMarkedInvalid && !lost(symbol, t.AggregateId) && t.TradeTimeUs / 1000 > trailing.WindowEndMs - WindowMs && t.TradeTimeUs / 1000 <= trailing.WindowEndMs)
                .ToList();
            if (Sum(inside, buy: true) != ExactDecimal.Parse(trailing.Totals.TakerBuyQuoteVolume)
                || Sum(inside, buy: false) != ExactDecimal.Parse(trailing.Totals.TakerSellQuoteVolume)
                || inside.Sum(t => t.TradeCount) != trailing.Totals.TradeCount)
            {
                differences.Add($"{symbol} at {trailing.WindowEndMs}: {trailing.Totals.TakerBuyQuoteVolume}/{trailing.Totals.TakerSellQuoteVolume}/{trailing.Totals.TradeCount}, expected {Sum(inside, buy: true)}/{Sum(inside, buy: false)}/{inside.Sum(t => t.TradeCount)}");
            }
        }

        return differences;
    }

    private static void AssertTotals(string key, List<AggregateTrade> counted, TakerVolumeWindow window)
    {
        var totals = window.Totals;
        Assert.True(Sum(counted, buy: true) == ExactDecimal.Parse(totals.TakerBuyQuoteVolume), $"{key} taker buy quote");
        Assert.True(Sum(counted, buy: false) == ExactDecimal.Parse(totals.TakerSellQuoteVolume), $"{key} taker sell quote");
        Assert.True(counted.Where(t => !t.BuyerIsMaker).Sum(t => t.Quantity) == ExactDecimal.Parse(totals.TakerBuyBaseVolume), $"{key} taker buy base");
        Assert.True(counted.Where(t => t.BuyerIsMaker).Sum(t => t.Quantity) == ExactDecimal.Parse(totals.TakerSellBaseVolume), $"{key} taker sell base");
        Assert.Equal(counted.Sum(t => t.TradeCount), totals.TradeCount);
        Assert.Equal(counted.Count, totals.AggregateTradeCount);
        Assert.Equal(counted[0].AggregateId, window.FirstAggregateTradeId);
        Assert.Equal(counted[^1].AggregateId, window.LastAggregateTradeId);
        Assert.Equal(counted[0].Price, ExactDecimal.Parse(window.Open));
        Assert.Equal(counted[^1].Price, ExactDecimal.Parse(window.Close));
        Assert.Equal(counted.Max(t => t.Price), ExactDecimal.Parse(window.High));
        Assert.Equal(counted.Min(t => t.Price), ExactDecimal.Parse(window.Low));
    }

    private static decimal Sum(IEnumerable<AggregateTrade> trades, bool buy) =>
        trades.Where(t => t.BuyerIsMaker != buy).Aggregate(0m, (sum, t) => sum + t.QuoteQuantity);

    private static long WindowStartMs(long timeUs) => timeUs / 1000 - (timeUs / 1000 % WindowMs);

    private static IEnumerable<long> Range(long first, long last)
    {
        for (var id = first; id <= last; id++)
        {
            yield return id;
        }
    }

    private sealed record Topics(string Market)
    {
        public string RawTrades => $"binance.{Market}.aggtrade.raw.v1";

        public string Normalized => $"binance.{Market}.aggtrade.normalized.v1";

        public string Tumbling => $"binance.{Market}.taker-volume.tumbling-15m.v1";

        public string Sliding => $"binance.{Market}.taker-volume.sliding-15m.v1";

        public string Alerts => $"binance.{Market}.aggtrade.alerts.v1";

        public string Reconciliation => $"binance.{Market}.taker-volume.reconciliation.v1";
    }
}
