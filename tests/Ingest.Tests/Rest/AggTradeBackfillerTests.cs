using System.Buffers;
using System.Net;
using System.Text;
using ExchangeSimulator.Formats;
using ExchangeSimulator.Market;
using Ingest.Rest;

namespace Ingest.Tests.Rest;

/// <summary>Backfill through the real simulator over HTTP, compared with what the exchange produced.</summary>
public sealed class AggTradeBackfillerTests
{
    private const string Symbol = "BTCUSDT";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Backfill_RangeAcrossPages_ReturnsExactlyTheExchangesTrades()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        var truth = harness.Trades(Symbol);
        Assert.True(truth.Count > 3000, $"only {truth.Count} trades");
        var from = truth[10].AggregateId;
        var to = truth[2510].AggregateId;
        var budget = harness.CreateBudget();

        var (trades, result) = await SimulatorHarness.CollectAsync(harness.CreateBackfiller(budget).BackfillAsync(Symbol, from, to, Cancel));

        var expected = truth.Where(t => t.AggregateId >= from && t.AggregateId <= to).ToList();
        Assert.Equal(expected.Select(t => t.AggregateId), trades.Select(t => t.Row.AggregateId));
        Assert.Equal(expected.Select(t => t.TradeTimeUs / 1000), trades.Select(t => t.Row.TradeTimeMs));
        Assert.All(trades, t => Assert.Equal(Symbol, t.Symbol));
        Assert.Equal(expected.Select(t => Serialized(t, MarketFlavor.Spot)), trades.Select(t => Encoding.UTF8.GetString(t.Row.RowJson.Span)));
        Assert.Equal(
            (Symbol, from, to, 2501L, 0L, false, 3, 0),
            (result.Symbol, result.FromId, result.ToId, result.TradeCount, result.InvalidRowCount, result.ExchangeHadNoMore, result.Pages, result.Retries));
        Assert.Empty(result.Unfillable);
        Assert.True(result.IsComplete);
        Assert.Equal([4, 8, 12], harness.Handler.UsedWeights);
        Assert.Equal(12, budget.UsedThisMinute);
    }

    [Fact]
    public async Task Backfill_HoleInExchangeHistory_ReportsExactIdsAsUnfillable()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        var truth = harness.Trades(Symbol);
        var from = truth[100].AggregateId;
        var to = truth[2100].AggregateId;

        // One hole straddling the first page boundary, one single id near the end.
        var holeFirst = from + 990;
        var holeLast = from + 1012;
        var single = to - 3;
        await harness.AddHoleAsync(Symbol, holeFirst, holeLast);
        await harness.AddHoleAsync(Symbol, single, single);

        var (trades, result) = await SimulatorHarness.CollectAsync(harness.CreateBackfiller(harness.CreateBudget()).BackfillAsync(Symbol, from, to, Cancel));

        Assert.Equal([new AggIdRange(holeFirst, holeLast), new AggIdRange(single, single)], result.Unfillable);
        Assert.Equal(24, result.UnfillableIdCount);
        Assert.False(result.ExchangeHadNoMore);
        Assert.False(result.IsComplete);
        var expected = truth
            .Select(t => t.AggregateId)
            .Where(id => id >= from && id <= to && (id < holeFirst || id > holeLast) && id != single);
        Assert.Equal(expected, trades.Select(t => t.Row.AggregateId));
        Assert.Equal(trades.Count, result.TradeCount);
    }

    [Fact]
    public async Task Backfill_HoleAtEndOfRange_IsUnfillableNotTail()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        var truth = harness.Trades(Symbol);
        var from = truth[0].AggregateId;
        var to = truth[500].AggregateId;
        await harness.AddHoleAsync(Symbol, to - 1, to + 5);

        var (trades, result) = await SimulatorHarness.CollectAsync(harness.CreateBackfiller(harness.CreateBudget()).BackfillAsync(Symbol, from, to, Cancel));

        Assert.Equal([new AggIdRange(to - 1, to)], result.Unfillable);
        Assert.False(result.ExchangeHadNoMore);
        Assert.Equal(499, trades.Count);
        Assert.Equal(1, result.Pages);
    }

    [Fact]
    public async Task Backfill_BeyondExchangesLastTrade_ReportsTailAndStops()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        var truth = harness.Trades(Symbol);
        var last = truth[^1].AggregateId;
        var from = truth[^1200].AggregateId;

        var (trades, result) = await SimulatorHarness.CollectAsync(
            harness.CreateBackfiller(harness.CreateBudget()).BackfillAsync(Symbol, from, last + 50, Cancel));

        Assert.Equal(1200, trades.Count);
        Assert.Equal(last, trades[^1].Row.AggregateId);
        Assert.True(result.ExchangeHadNoMore);
        Assert.Equal([new AggIdRange(last + 1, last + 50)], result.Unfillable);
        Assert.Equal(2, result.Pages);
    }

    [Fact]
    public async Task Backfill_RowsMarkedInvalid_AreCountedNotYielded()
    {
        var market = new MarketSimulator(new MarketOptions { Seed = 7, SymbolCount = 20, TradesPerSecond = 200 });
        await using var harness = await SimulatorHarness.StartAsync(source: new InvalidatingSource(market, Symbol, every: 7));
        var truth = harness.Trades(Symbol);
        var from = truth[3].AggregateId;
        var to = truth[1500].AggregateId;
        var inRange = truth.Where(t => t.AggregateId >= from && t.AggregateId <= to).ToList();
        Assert.Contains(inRange, t => t.IsMarkedInvalid);

        var (trades, result) = await SimulatorHarness.CollectAsync(harness.CreateBackfiller(harness.CreateBudget()).BackfillAsync(Symbol, from, to, Cancel));

        Assert.Equal(inRange.Where(t => !t.IsMarkedInvalid).Select(t => t.AggregateId), trades.Select(t => t.Row.AggregateId));
        Assert.All(trades, t => Assert.False(t.Row.IsMarkedInvalid));
        Assert.Equal(inRange.Count(t => t.IsMarkedInvalid), result.InvalidRowCount);
        Assert.Equal(inRange.Count(t => !t.IsMarkedInvalid), result.TradeCount);
        Assert.True(result.IsComplete);
    }

    [Fact]
    public async Task Backfill_Injected429_PausesForRetryAfterThenCompletes()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        var truth = harness.Trades(Symbol);
        var budget = harness.CreateBudget();
        await harness.ThrottleAsync(429, durationMs: 1000, retryAfterSeconds: 1);

        var (trades, result) = await harness.DriveAsync(() => SimulatorHarness.CollectAsync(
            harness.CreateBackfiller(budget).BackfillAsync(Symbol, truth[0].AggregateId, truth[1999].AggregateId, Cancel)));

        Assert.Equal(truth.Take(2000).Select(t => t.AggregateId), trades.Select(t => t.Row.AggregateId));
        Assert.True(result.IsComplete);
        Assert.Equal(1, result.Retries);
        Assert.Equal(1, budget.Pauses);
        Assert.Equal(SimulatorHarness.ClockStart.AddSeconds(1), harness.Clock!.GetUtcNow());
        Assert.Equal(
            [HttpStatusCode.TooManyRequests, HttpStatusCode.OK, HttpStatusCode.OK],
            harness.Handler.Responses.Select(r => r.Status));
    }

    [Fact]
    public async Task Backfill_Injected429_RealClock_PausesThenCompletes()
    {
        await using var harness = await SimulatorHarness.StartAsync(manualClock: false);
        var truth = harness.Trades(Symbol);
        var budget = harness.CreateBudget();
        await harness.ThrottleAsync(429, durationMs: 300, retryAfterSeconds: 1);
        var started = TimeProvider.System.GetTimestamp();

        var (trades, result) = await SimulatorHarness.CollectAsync(
            harness.CreateBackfiller(budget).BackfillAsync(Symbol, truth[0].AggregateId, truth[999].AggregateId, Cancel));

        Assert.Equal(1000, trades.Count);
        Assert.True(result.IsComplete);
        Assert.Equal(1, budget.Pauses);
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromSeconds(0.99));
        Assert.Equal([HttpStatusCode.TooManyRequests, HttpStatusCode.OK], harness.Handler.Responses.Select(r => r.Status));
    }

    [Fact]
    public async Task Backfill_Injected418_WaitsOutTheBanWithoutFurtherRequests()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        var truth = harness.Trades(Symbol);
        var budget = harness.CreateBudget();
        await harness.ThrottleAsync(418, durationMs: 120_000, retryAfterSeconds: 120);

        var (trades, result) = await harness.DriveAsync(() => SimulatorHarness.CollectAsync(
            harness.CreateBackfiller(budget).BackfillAsync(Symbol, truth[0].AggregateId, truth[1499].AggregateId, Cancel)));

        Assert.Equal(1500, trades.Count);
        Assert.True(result.IsComplete);
        Assert.Equal(1, budget.Pauses);
        Assert.Equal(SimulatorHarness.ClockStart.AddMinutes(2), harness.Clock!.GetUtcNow());
        Assert.Equal(
            [(HttpStatusCode)418, HttpStatusCode.OK, HttpStatusCode.OK],
            harness.Handler.Responses.Select(r => r.Status));
    }

    [Fact]
    public async Task Backfill_SmallShare_ServerWeightNeverExceedsIt()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        var truth = harness.Trades(Symbol);
        Assert.True(truth.Count > 7000, $"only {truth.Count} trades");

        // 12 per minute: three aggTrades pages, so seven pages take three minutes.
        var budget = harness.CreateBudget(exchangeWeightPerMinute: 24, share: 0.5);
        var (trades, result) = await harness.DriveAsync(() => SimulatorHarness.CollectAsync(
            harness.CreateBackfiller(budget).BackfillAsync(Symbol, truth[0].AggregateId, truth[6999].AggregateId, Cancel)));

        Assert.Equal(7000, trades.Count);
        Assert.Equal(7, result.Pages);
        Assert.Equal([4, 8, 12, 4, 8, 12, 4], harness.Handler.UsedWeights);
        Assert.All(harness.Handler.Responses, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Equal(2, budget.Waits);
        Assert.Equal(SimulatorHarness.ClockStart.AddSeconds(110), harness.Clock!.GetUtcNow());
    }

    [Fact]
    public async Task Backfill_ShareAboveServersLimit_Honours429AndIsNeverBanned()
    {
        // A misconfigured share (3000) against an exchange allowing 20 per minute: the server's 429 must stop the client.
        await using var harness = await SimulatorHarness.StartAsync(serverWeightPerMinute: 20);
        var truth = harness.Trades(Symbol);
        var budget = harness.CreateBudget();

        var (trades, result) = await harness.DriveAsync(() => SimulatorHarness.CollectAsync(
            harness.CreateBackfiller(budget).BackfillAsync(Symbol, truth[0].AggregateId, truth[6999].AggregateId, Cancel)));

        Assert.Equal(7000, trades.Count);
        Assert.True(result.IsComplete);
        var statuses = harness.Handler.Responses.Select(r => r.Status).ToList();
        Assert.DoesNotContain((HttpStatusCode)418, statuses);
        Assert.Equal(
            [.. Enumerable.Repeat(HttpStatusCode.OK, 5), HttpStatusCode.TooManyRequests, HttpStatusCode.OK, HttpStatusCode.OK],
            statuses);
        Assert.Equal(1, budget.Pauses);
        Assert.Equal(SimulatorHarness.ClockStart.AddSeconds(50), harness.Clock!.GetUtcNow());
    }

    [Fact]
    public async Task Backfill_RegionDown_RetriesWithBackoffThenCompletes()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        var truth = harness.Trades(Symbol);
        await harness.TakeDownAsync(durationMs: 1000);

        var (trades, result) = await harness.DriveAsync(() => SimulatorHarness.CollectAsync(
            harness.CreateBackfiller(harness.CreateBudget()).BackfillAsync(Symbol, truth[0].AggregateId, truth[999].AggregateId, Cancel)));

        Assert.Equal(1000, trades.Count);
        Assert.True(result.Retries >= 2, $"{result.Retries} retries");
        Assert.Equal(result.Retries, harness.Handler.Responses.Count(r => r.Status == HttpStatusCode.ServiceUnavailable));
        Assert.True(harness.Clock!.GetUtcNow() >= SimulatorHarness.ClockStart.AddSeconds(1));
    }

    [Fact]
    public async Task Backfill_TransientFailuresBeyondAttempts_Throws()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        await harness.TakeDownAsync(durationMs: 600_000);
        var backfiller = harness.CreateBackfiller(harness.CreateBudget(), new AggTradeBackfillOptions { MaxAttempts = 3, RandomSeed = 1 });

        var failure = await Assert.ThrowsAsync<BinanceRestException>(
            () => harness.DriveAsync(() => SimulatorHarness.CollectAsync(backfiller.BackfillAsync(Symbol, 0, 10, Cancel))));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failure.Status);
        Assert.Null(failure.Code);
        Assert.Equal(3, harness.Handler.Responses.Count);
    }

    [Fact]
    public async Task Backfill_UnknownSymbol_ThrowsBinanceErrorWithoutRetry()
    {
        await using var harness = await SimulatorHarness.StartAsync();

        var failure = await Assert.ThrowsAsync<BinanceRestException>(
            () => SimulatorHarness.CollectAsync(harness.CreateBackfiller(harness.CreateBudget()).BackfillAsync("NOPEUSDT", 0, 10, Cancel)));

        Assert.Equal(HttpStatusCode.BadRequest, failure.Status);
        Assert.Equal(-1121, failure.Code);
        Assert.Equal("Invalid symbol.", failure.BinanceMessage);
        Assert.Single(harness.Handler.Responses);
    }

    [Fact]
    public async Task Backfill_Cancelled_StopsWithCancellation()
    {
        await using var harness = await SimulatorHarness.StartAsync();
        var truth = harness.Trades(Symbol);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        var yielded = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            var items = harness.CreateBackfiller(harness.CreateBudget()).BackfillAsync(Symbol, truth[0].AggregateId, truth[^1].AggregateId, cancel.Token);
            await foreach (var item in items)
            {
                if (++yielded == 10)
                {
                    await cancel.CancelAsync();
                }
            }
        });

        Assert.Equal(10, yielded);
        Assert.Single(harness.Handler.Responses);
    }

    [Fact]
    public async Task Backfill_Futures_UsesFapiPathsAndWeights()
    {
        await using var harness = await SimulatorHarness.StartAsync(flavor: MarketFlavor.UsdmFutures);
        var truth = harness.Trades(Symbol);
        var budget = harness.CreateBudget(exchangeWeightPerMinute: 2400);

        var (trades, result) = await SimulatorHarness.CollectAsync(
            harness.CreateBackfiller(budget).BackfillAsync(Symbol, truth[5].AggregateId, truth[1504].AggregateId, Cancel));

        Assert.Equal(
            truth.Skip(5).Take(1500).Select(t => Serialized(t, MarketFlavor.UsdmFutures)),
            trades.Select(t => Encoding.UTF8.GetString(t.Row.RowJson.Span)));
        Assert.True(result.IsComplete);
        Assert.Equal([20, 40], harness.Handler.UsedWeights);
        Assert.All(harness.Handler.Responses, r => Assert.Equal("/fapi/v1/aggTrades", r.Path));
    }

    /// <summary>The simulator's own bytes for one row: what the client must hand on untouched.</summary>
    private static string Serialized(AggregateTrade trade, MarketFlavor flavor)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new BinanceRestWriter(flavor))
        {
            writer.WriteAggTrades(buffer, [trade]);
        }

        var array = Encoding.UTF8.GetString(buffer.WrittenSpan);
        return array[1..^1];
    }
}
