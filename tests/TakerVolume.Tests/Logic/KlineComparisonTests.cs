using Streaming.Processing.Idempotence;
using TakerVolume.Parsing;
using TakerVolume.Reconciliation;
using TakerVolume.Windows;
using static TakerVolume.Tests.Logic.Exact;

namespace TakerVolume.Tests.Logic;

public sealed class KlineComparisonTests
{
    private const long Start = 1_700_000_100_000;

    [Fact]
    public void Of_AllFiguresEqual_IsAMatch()
    {
        var window = TumblingWindowTests.Build(
        [
            Trade(1, "1.50000000", "1.00000000", 100, 101, Start, buyerIsMaker: false),
            Trade(2, "2.00000000", "0.50000000", 102, 102, Start + 1, buyerIsMaker: true),
        ]);

        // The exchange prints "1.5" where the window holds "1.5000000000000000": equal values match.
        var comparison = KlineComparison.Of(window, new KlineFigures(D("2.5"), D("1.5"), D("1.50000000"), D("1.00000000"), 3, 100, 102), symbolFirstTradeId: 100);

        Assert.Equal(KlineOutcome.Match, comparison.Outcome);
        Assert.Empty(comparison.MissingTradeIds);
        Assert.Equal(string.Empty, comparison.Explanation);
    }

    [Fact]
    public void Of_EmptyWindowAndEmptyKline_IsAMatch()
    {
        var comparison = KlineComparison.Of(new TumblingWindow(), new KlineFigures(D("0.00000000"), D("0.00000000"), D("0.00000000"), D("0.00000000"), 0, -1, -1), symbolFirstTradeId: -1);

        Assert.Equal(KlineOutcome.Match, comparison.Outcome);
    }

    [Fact]
    public void Of_IdsMissingInsideTheKlinesRange_IsMissingTradesWithTheExactRanges()
    {
        var window = TumblingWindowTests.Build(
        [
            Trade(1, "1", "1", 100, 104, Start, buyerIsMaker: false),
            Trade(3, "1", "1", 106, 110, Start, buyerIsMaker: false),
        ]);
        var kline = new KlineFigures(D("13"), D("13"), D("13"), D("13"), 13, 100, 112);

        var comparison = KlineComparison.Of(window, kline, symbolFirstTradeId: 100);

        Assert.Equal(KlineOutcome.MissingTrades, comparison.Outcome);
        Assert.Equal([new IdRange(105, 105), new IdRange(111, 112)], comparison.MissingTradeIds);
        Assert.Contains("105, 111..112", comparison.Explanation, StringComparison.Ordinal);
        Assert.Contains("(3 of the kline's 13)", comparison.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_MissingIdsAllBeforeTheFirstCountedTrade_IsIncompleteStart()
    {
        var window = TumblingWindowTests.Build([Trade(5, "1", "1", 105, 110, Start + 500, buyerIsMaker: false)]);
        var kline = new KlineFigures(D("11"), D("11"), D("11"), D("11"), 11, 100, 110);

        var comparison = KlineComparison.Of(window, kline, symbolFirstTradeId: 105);

        Assert.Equal(KlineOutcome.IncompleteStart, comparison.Outcome);
        Assert.Equal([new IdRange(100, 104)], comparison.MissingTradeIds);
        Assert.Contains("(105)", comparison.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_NoTradeOfTheSymbolCountedYet_IsIncompleteStart()
    {
        var window = new TumblingWindow();
        var kline = new KlineFigures(D("11"), D("11"), D("11"), D("11"), 11, 100, 110);

        var comparison = KlineComparison.Of(window, kline, symbolFirstTradeId: -1);

        Assert.Equal(KlineOutcome.IncompleteStart, comparison.Outcome);
        Assert.Contains("none yet", comparison.Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(104L)] // the last missing id is not before the first counted one
    public void Of_MissingIdsNotAllBeforeTheFirstCountedTrade_IsMissingTrades(long symbolFirstTradeId)
    {
        var window = TumblingWindowTests.Build([Trade(5, "1", "1", 105, 110, Start + 500, buyerIsMaker: false)]);
        var kline = new KlineFigures(D("11"), D("11"), D("11"), D("11"), 11, 100, 110);

        Assert.Equal(KlineOutcome.MissingTrades, KlineComparison.Of(window, kline, symbolFirstTradeId).Outcome);
    }

    [Fact]
    public void Of_MissingIdsBeforeAndAfterTheFirstCountedTrade_IsMissingTrades()
    {
        var window = TumblingWindowTests.Build(
        [
            Trade(5, "1", "1", 105, 106, Start, buyerIsMaker: false),
            Trade(7, "1", "1", 108, 110, Start, buyerIsMaker: false),
        ]);
        var kline = new KlineFigures(D("11"), D("11"), D("11"), D("11"), 11, 100, 110);

        var comparison = KlineComparison.Of(window, kline, symbolFirstTradeId: 105);

        Assert.Equal(KlineOutcome.MissingTrades, comparison.Outcome);
        Assert.Equal([new IdRange(100, 104), new IdRange(107, 107)], comparison.MissingTradeIds);

        // The feed gap names only the id after the first counted trade; the ids before it are explained apart.
        Assert.Equal(
            "trade ids 107 (1 of the kline's 11) missing: a feed gap not filled; processing of the symbol began inside the window: trade ids 100..104 (5) precede the first trade counted (105)",
            comparison.Explanation);
    }

    /// <summary>
    /// Window: two fills of 0.5 × 0.00000001 = 0.000000005 (9 decimals: the exchange rounds each at 8) and one of
    /// 2 × 3 = 6, all taker buys: q = Q = 6.00000001, FillsRoundedAt(8) = 2, so q and Q may differ by 2e-8.
    /// </summary>
    [Theory]
    [InlineData("6.00000001", "6.00000001", nameof(KlineOutcome.Match))]
    [InlineData("6.00000003", "6.00000003", nameof(KlineOutcome.ExchangeRounding))] // -2e-8: the edge, in
    [InlineData("5.99999999", "5.99999999", nameof(KlineOutcome.ExchangeRounding))] // +2e-8
    [InlineData("6.00000002", "6.00000000", nameof(KlineOutcome.ExchangeRounding))]
    [InlineData("6.00000004", "6.00000004", nameof(KlineOutcome.Mismatch))] // -3e-8: just beyond
    [InlineData("5.99999998", "5.99999998", nameof(KlineOutcome.Mismatch))] // +3e-8
    [InlineData("6.00000001", "6.00000004", nameof(KlineOutcome.Mismatch))] // Q beyond, q equal
    [InlineData("6.00000004", "6.00000001", nameof(KlineOutcome.Mismatch))] // q beyond, Q equal
    public void Of_QuoteVolumesApart_IsExchangeRoundingWithinOneUnitPerRoundedFill(string q, string takerQ, string outcome)
    {
        var window = RoundingWindow();
        Assert.Equal(2, window.FillsRoundedAt(8));

        var comparison = KlineComparison.Of(window, new KlineFigures(D(q), D(takerQ), D("3.00000002"), D("3.00000002"), 3, 1, 3), symbolFirstTradeId: 1);

        Assert.Equal(Enum.Parse<KlineOutcome>(outcome), comparison.Outcome);
        Assert.Empty(comparison.MissingTradeIds);
    }

    [Theory]
    [InlineData("3.00000003", "3.00000002", 3)] // v differs
    [InlineData("3.00000002", "3.00000001", 3)] // V differs
    [InlineData("3.00000002", "3.00000002", 4)] // n differs (no id missing: the kline's range is counted)
    public void Of_QuoteWithinRoundingButBaseOrCountDiffers_IsMismatch(string v, string takerV, long n)
    {
        var comparison = KlineComparison.Of(RoundingWindow(), new KlineFigures(D("6.00000002"), D("6.00000002"), D(v), D(takerV), n, 1, 3), symbolFirstTradeId: 1);

        Assert.Equal(KlineOutcome.Mismatch, comparison.Outcome);
    }

    [Fact]
    public void Of_KlineAtFewerDecimals_UsesItsScaleForTheTolerance()
    {
        // At 0 decimals every fill with a fractional product may be rounded: 2 fills → ±2.
        var window = RoundingWindow();
        Assert.Equal(2, window.FillsRoundedAt(0));

        Assert.Equal(KlineOutcome.ExchangeRounding, KlineComparison.Of(window, new KlineFigures(D("8"), D("8"), D("3.00000002"), D("3.00000002"), 3, 1, 3), 1).Outcome);
        Assert.Equal(KlineOutcome.Mismatch, KlineComparison.Of(window, new KlineFigures(D("9"), D("9"), D("3.00000002"), D("3.00000002"), 3, 1, 3), 1).Outcome);
    }

    /// <summary>A window built from a random subset of the kline's trades: the missing ranges are exactly the ids of the trades left out.</summary>
    [Fact]
    public void Of_RandomTradesLeftOut_ReportsExactlyTheirIds()
    {
        LogicSeeds.Check(300, seed =>
        {
            var random = new Random(seed);
            var all = TumblingWindowTests.GenerateWindowTrades(random);
            var kept = all.Where(_ => random.Next(4) != 0).ToList();
            var left = all.Except(kept).ToList();
            var full = TumblingWindowTests.Build(all);
            var kline = new KlineFigures(full.Totals.QuoteVolume, full.Totals.TakerBuyQuote, full.Totals.BaseVolume, full.Totals.TakerBuyBase, full.Totals.TradeCount, all[0].FirstTradeId, all[^1].LastTradeId);
            var shuffled = new List<ParsedAggTrade>(kept);
            LogicSeeds.Shuffle(random, shuffled);
            var window = TumblingWindowTests.Build(shuffled);
            var symbolFirst = kept.Count > 0 ? kept[0].FirstTradeId : -1;

            var comparison = KlineComparison.Of(window, kline, symbolFirst);

            if (left.Count == 0)
            {
                Assert.Equal(KlineOutcome.Match, comparison.Outcome);
                return;
            }

            Assert.Equal(TumblingWindowTests.MergedTradeIds(left), comparison.MissingTradeIds);
            var onlyPrefix = kept.Count == 0 || left.All(trade => trade.AggregateId < kept[0].AggregateId);
            Assert.Equal(onlyPrefix ? KlineOutcome.IncompleteStart : KlineOutcome.MissingTrades, comparison.Outcome);
        });
    }

    private static TumblingWindow RoundingWindow() => TumblingWindowTests.Build(
    [
        Trade(1, "0.50000000", "0.00000001", 1, 1, Start, buyerIsMaker: false),
        Trade(2, "0.50000000", "0.00000001", 2, 2, Start, buyerIsMaker: false),
        Trade(3, "2.00000000", "3.00000000", 3, 3, Start, buyerIsMaker: false),
    ]);
}
