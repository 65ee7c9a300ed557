using BinanceRecordings;
using Streaming.Contracts;
using Streaming.Contracts.Analytics.V1;
using Streaming.Contracts.Common.V1;
using Streaming.Contracts.Market.V1;
using Streaming.Contracts.Ops.V1;
using Streaming.Testing;

namespace TakerVolume.Tests.EndToEnd;

/// <summary>
/// Real Binance trades (the first 5,000 BTCUSDT aggregate trades of 2026-01-01, microsecond timestamps) through the
/// embedded Kafka and the processor as its program builds it, with what the users suffer: copies of trades from a
/// second feed, a block of trades missing and then delivered late by a backfill, and a restart in the middle. The
/// result must equal an independent summation of the recording, exactly.
/// </summary>
public sealed class RecordedTradesTests(CatalogKafkaFixture kafka) : IClassFixture<CatalogKafkaFixture>
{
    private const string Symbol = "BTCUSDT";
    private const string RawTrades = "binance.spot.aggtrade.raw.v1";
    private const string RawKlines = "binance.spot.kline-15m.raw.v1";
    private const long WindowMs = 900_000;

    [Fact]
    public async Task Recorded_trades_with_copies_a_late_backfill_and_a_restart_give_exact_totals()
    {
        var trades = await LoadAsync();
        var windowStart = trades[0].TradeTimeMs - (trades[0].TradeTimeMs % WindowMs);
        Assert.All(trades, t => Assert.Equal(windowStart, t.TradeTimeMs - (t.TradeTimeMs % WindowMs)));
        var held = trades.Skip(1000).Take(200).ToList();
        var heldIds = held.Select(t => t.AggregateTradeId).ToHashSet();

        await using var run = TakerVolumeRun.Create(kafka, "--TakerVolume:Grace=00:00:01");
        await run.StartAsync();

        // First half, with every fifth trade twice (a second ingest pod) and a block of 200 missing.
        foreach (var trade in trades.Take(2500).Where(t => !heldIds.Contains(t.AggregateTradeId)))
        {
            run.Produce(RawTrades, RawEvents.AggTrade(Symbol, trade));
            if (trade.AggregateTradeId % 5 == 0)
            {
                run.Produce(RawTrades, RawEvents.AggTrade(Symbol, trade));
            }
        }

        run.Flush();
        await WaitForAsync(run, () => run.ReadAll<AggTrade>("binance.spot.aggtrade.normalized.v1").Count >= 2300, "the first half normalized");
        await WaitForAsync(run, () => run.ReadAll<FeedGap>("binance.all.feed.gaps.v1").Any(g => g.Message.Value.Symbol == Symbol && !g.Message.Value.Filled), "the missing block reported as a feed gap");

        // A restart: the state comes back from the snapshot and changelog, nothing is counted twice.
        await run.StopAsync();
        await run.StartAsync();
        foreach (var trade in trades.Skip(2500))
        {
            run.Produce(RawTrades, RawEvents.AggTrade(Symbol, trade));
            if (trade.AggregateTradeId % 5 == 0)
            {
                run.Produce(RawTrades, RawEvents.AggTrade(Symbol, trade));
            }
        }

        // The backfill delivers the missing block late, then the exchange closes the window's kline.
        foreach (var trade in held)
        {
            run.Produce(RawTrades, RawEvents.AggTrade(Symbol, trade, Source.RestBackfill));
        }

        var oracle = Oracle.Of(trades);
        run.Produce(RawKlines, RawEvents.Kline(Symbol, windowStart, windowStart + WindowMs + 2_000, closed: true, oracle.AsKline()));
        run.Flush();

        var key = $"{Symbol}@{windowStart}";
        await WaitForAsync(
            run,
            () => TakerVolumeRun.Latest(run.ReadAll<WindowReconciliation>("binance.spot.taker-volume.reconciliation.v1"), TakerVolumeRun.WindowKey).ContainsKey(key),
            "the window reconciled with the kline");

        var window = TakerVolumeRun.Latest(run.ReadAll<TakerVolumeWindow>("binance.spot.taker-volume.tumbling-15m.v1"), TakerVolumeRun.WindowKey)[key];
        Assert.True(window.Final);
        Assert.Equal(oracle.TakerBuyQuote, ExactDecimal.Parse(window.Totals.TakerBuyQuoteVolume));
        Assert.Equal(oracle.TakerSellQuote, ExactDecimal.Parse(window.Totals.TakerSellQuoteVolume));
        Assert.Equal(oracle.TakerBuyBase, ExactDecimal.Parse(window.Totals.TakerBuyBaseVolume));
        Assert.Equal(oracle.TakerSellBase, ExactDecimal.Parse(window.Totals.TakerSellBaseVolume));
        Assert.Equal(trades.Count, window.Totals.AggregateTradeCount);
        Assert.Equal(oracle.TradeCount, window.Totals.TradeCount);
        Assert.Equal(trades[0].AggregateTradeId, window.FirstAggregateTradeId);
        Assert.Equal(trades[^1].AggregateTradeId, window.LastAggregateTradeId);
        Assert.Equal(trades[0].FirstTradeId, window.FirstTradeId);
        Assert.Equal(trades[^1].LastTradeId, window.LastTradeId);
        Assert.Equal(trades[0].Price.Value, ExactDecimal.Parse(window.Open));
        Assert.Equal(trades[^1].Price.Value, ExactDecimal.Parse(window.Close));
        Assert.Equal(trades.Max(t => t.Price.Value), ExactDecimal.Parse(window.High));
        Assert.Equal(trades.Min(t => t.Price.Value), ExactDecimal.Parse(window.Low));

        var reconciliation = TakerVolumeRun.Latest(run.ReadAll<WindowReconciliation>("binance.spot.taker-volume.reconciliation.v1"), TakerVolumeRun.WindowKey)[key];
        Assert.Equal(ReconciliationOutcome.Match, reconciliation.Outcome);
        Assert.True(reconciliation.Matches, reconciliation.Explanation);

        // Each trade published once downstream, copies and the replay after the restart dropped.
        var normalized = run.ReadAll<AggTrade>("binance.spot.aggtrade.normalized.v1").Select(r => r.Message.Value.AggregateTradeId).ToList();
        Assert.Equal(trades.Count, normalized.Count);
        Assert.Equal(trades.Select(t => t.AggregateTradeId).Order(), normalized.Order());

        // The block was reported missing, then reported filled, exactly that range.
        var gaps = run.ReadAll<FeedGap>("binance.all.feed.gaps.v1").Select(r => r.Message.Value).Where(g => g.Symbol == Symbol).ToList();
        Assert.Contains(gaps, g => !g.Filled && g.MissingIds.First == held[0].AggregateTradeId && g.MissingIds.Last == held[^1].AggregateTradeId);
        Assert.Contains(gaps, g => g.Filled && g.MissingIds.First == held[0].AggregateTradeId && g.MissingIds.Last == held[^1].AggregateTradeId);

        // Large-trade alerts: exactly the trades of 100,000 USDT or more, once each.
        var alerts = run.ReadAll<LargeTradeAlert>("binance.spot.aggtrade.alerts.v1").Select(r => r.Message.Value.AggregateTradeId).Order().ToList();
        Assert.Equal(trades.Where(t => t.QuoteQuantity >= 100_000m).Select(t => t.AggregateTradeId).Order(), alerts);

        // The trailing window as of its end time holds exactly the trades in (end - 15 min, end].
        var sliding = TakerVolumeRun.Latest(run.ReadAll<SlidingTakerVolume>("binance.spot.taker-volume.sliding-15m.v1"), s => s.Symbol)[Symbol];
        var inside = Oracle.Of(trades.Where(t => t.TradeTimeMs > sliding.WindowEndMs - WindowMs && t.TradeTimeMs <= sliding.WindowEndMs).ToList());
        Assert.Equal(inside.TakerBuyQuote, ExactDecimal.Parse(sliding.Totals.TakerBuyQuoteVolume));
        Assert.Equal(inside.TakerSellQuote, ExactDecimal.Parse(sliding.Totals.TakerSellQuoteVolume));
        Assert.Equal(inside.TradeCount, sliding.Totals.TradeCount);
    }

    private static async Task<List<AggTradeRecord>> LoadAsync()
    {
        var path = RepoPaths.Combine("tests", "data", "recordings", "binance-vision", "BTCUSDT-aggTrades-2026-01-01.csv");
        var trades = new List<AggTradeRecord>();
        await foreach (var row in AggTradesCsvReader.ReadFileAsync(path, cancellationToken: TestContext.Current.CancellationToken))
        {
            trades.Add(row.Trade);
        }

        Assert.Equal(5000, trades.Count);
        return trades;
    }

    private static async Task WaitForAsync(TakerVolumeRun run, Func<bool> condition, string what)
    {
        try
        {
            await Eventually.TrueAsync(condition, TimeSpan.FromSeconds(60), what, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException e)
        {
            var deadLetters = run.ReadAll<DeadLetter>("binance.all.events.dead-letter.v1").Select(r => r.Message.Value.ErrorMessage).Take(3);
            throw new TimeoutException($"{e.Message}; dead letters: {string.Join(" | ", deadLetters)}; normalized: {run.ReadAll<AggTrade>("binance.spot.aggtrade.normalized.v1").Count}", e);
        }
    }

    /// <summary>The totals summed directly from the recording, with decimal arithmetic and nothing of the processor's.</summary>
    private sealed record Oracle(decimal TakerBuyQuote, decimal TakerSellQuote, decimal TakerBuyBase, decimal TakerSellBase, long TradeCount, long FirstTradeId, long LastTradeId)
    {
        public static Oracle Of(List<AggTradeRecord> trades) => new(
            trades.Where(t => t.IsTakerBuy).Sum(t => t.Price.Value * t.Quantity.Value),
            trades.Where(t => !t.IsTakerBuy).Sum(t => t.Price.Value * t.Quantity.Value),
            trades.Where(t => t.IsTakerBuy).Sum(t => t.Quantity.Value),
            trades.Where(t => !t.IsTakerBuy).Sum(t => t.Quantity.Value),
            trades.Sum(t => t.TradeCount),
            trades.Count > 0 ? trades.Min(t => t.FirstTradeId) : -1,
            trades.Count > 0 ? trades.Max(t => t.LastTradeId) : -1);

        public KlineTotalsText AsKline() => new(
            ExactDecimal.Format(TakerBuyQuote + TakerSellQuote),
            ExactDecimal.Format(TakerBuyQuote),
            ExactDecimal.Format(TakerBuyBase + TakerSellBase),
            ExactDecimal.Format(TakerBuyBase),
            TradeCount,
            FirstTradeId,
            LastTradeId);
    }
}
