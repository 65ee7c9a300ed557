using System.Numerics;
using Streaming.Processing.Idempotence;
using TakerVolume.Parsing;
using TakerVolume.Trades;
using TakerVolume.Windows;
using static TakerVolume.Tests.Logic.Exact;

namespace TakerVolume.Tests.Logic;

public sealed class TumblingWindowTests
{
    private const long WindowStartMs = 1_700_000_100_000;

    [Fact]
    public void Add_LateTradeWithLowerId_BecomesTheOpenNotTheClose()
    {
        var window = new TumblingWindow();
        Add(window, Trade(11, "101.00", "1.00", 21, 21, WindowStartMs + 10, buyerIsMaker: false));
        Add(window, Trade(12, "103.00", "1.00", 22, 22, WindowStartMs + 20, buyerIsMaker: true));
        Add(window, Trade(10, "99.00", "1.00", 20, 20, WindowStartMs + 5, buyerIsMaker: false));

        Assert.Equal(99m, window.Open);
        Assert.Equal(103m, window.Close);
        Assert.Equal(103m, window.High);
        Assert.Equal(99m, window.Low);
        Assert.Equal(10, window.FirstAggregateId);
        Assert.Equal(12, window.LastAggregateId);
        Assert.Equal(20, window.FirstTradeId);
        Assert.Equal(22, window.LastTradeId);
        Assert.Equal([new IdRange(20, 22)], window.TradeIds.Spans);
        Assert.Equal(WindowStartMs + 20, window.MaxTradeTimeMs);
    }

    [Fact]
    public void Add_HighestIdArrivingFirst_StaysTheClose()
    {
        var window = new TumblingWindow();
        Add(window, Trade(12, "103.00", "1.00", 22, 22, WindowStartMs + 20, buyerIsMaker: true));
        Add(window, Trade(10, "99.00", "1.00", 20, 20, WindowStartMs + 5, buyerIsMaker: false));
        Add(window, Trade(11, "104.00", "1.00", 21, 21, WindowStartMs + 10, buyerIsMaker: false));

        Assert.Equal(99m, window.Open);
        Assert.Equal(103m, window.Close);
        Assert.Equal(104m, window.High);
    }

    [Fact]
    public void FillsBeyondScale_CountsIndividualFillsByTheirProductsSignificantDecimals()
    {
        var window = new TumblingWindow();
        // 0.5 x 0.00000001 = 0.000000005 (9 decimals); 3 fills.
        Add(window, Trade(1, "0.50000000", "0.00000001", 100, 102, WindowStartMs, buyerIsMaker: false));
        // 2.5 x 1.5 = 3.75 (2 decimals); 1 fill.
        Add(window, Trade(2, "2.50000000", "1.50000000", 103, 103, WindowStartMs, buyerIsMaker: false));
        // 2 x 3 = 6 (0 decimals); 2 fills.
        Add(window, Trade(3, "2.00000000", "3.00000000", 104, 105, WindowStartMs, buyerIsMaker: true));

        Assert.Equal([4, 4, 3, 3, 3, 3, 3, 3, 3], window.FillsBeyondScale);
        Assert.Equal(6, window.FillsRoundedAt(-1));
        Assert.Equal(4, window.FillsRoundedAt(0));
        Assert.Equal(3, window.FillsRoundedAt(2));
        Assert.Equal(3, window.FillsRoundedAt(8));
        Assert.Equal(0, window.FillsRoundedAt(9));
    }

    [Fact]
    public void Vwap_IsQuoteOverBase()
    {
        var window = new TumblingWindow();
        Add(window, Trade(1, "64123.45000000", "0.00100000", 1, 1, WindowStartMs, buyerIsMaker: false));
        Add(window, Trade(2, "64123.45000000", "0.00300000", 2, 2, WindowStartMs, buyerIsMaker: true));

        Assert.Equal(64123.45m, window.Vwap());
        Assert.Equal(0m, new TumblingWindow().Vwap());
    }

    [Theory]
    [InlineData("0.000000000005", "2", "0.000000000002")] // 2.5e-12: to even (down)
    [InlineData("0.000000000007", "2", "0.000000000004")] // 3.5e-12: to even (up)
    [InlineData("0.0000000000050001", "2", "0.000000000003")] // just above the midpoint
    [InlineData("1", "3", "0.333333333333")]
    [InlineData("2", "3", "0.666666666667")]
    public void Vwap_RoundsHalfToEvenAtTwelveDecimals(string quote, string baseVolume, string expected)
    {
        var window = new TumblingWindow();
        window.Totals.TakerBuyQuote = D(quote);
        window.Totals.TakerBuyBase = D(baseVolume);
        window.Totals.AggregateTradeCount = 1;

        Assert.Equal(D(expected), window.Vwap());
    }

    /// <summary>
    /// The exact quotient is 5e-13 + ~1e-33, just above the midpoint: half-even rounding at 12 decimals gives 1e-12.
    /// Decimal division would first round the quotient to 28 decimals (exactly 5e-13), and Math.Round would then round
    /// that midpoint to even (0): the double rounding this once had.
    /// </summary>
    [Fact]
    public void Vwap_QuotientJustAboveAMidpoint_RoundsUp()
    {
        var window = new TumblingWindow();
        window.Totals.TakerBuyQuote = D("50000000.0000000000006");
        window.Totals.TakerBuyBase = D("100000000000000000001");
        window.Totals.AggregateTradeCount = 1;

        Assert.Equal(D("0.000000000001"), window.Vwap());
    }

    /// <summary>Every figure of a window depends on the set of trades, not on the order they arrive in.</summary>
    [Fact]
    public void Add_ShuffledArrivals_GiveTheFiguresOfTheAggregateIdOrder()
    {
        LogicSeeds.Check(300, seed =>
        {
            var random = new Random(seed);
            var trades = GenerateWindowTrades(random);
            var counted = trades.Where(_ => random.Next(10) != 0).ToList();
            if (counted.Count == 0)
            {
                counted.Add(trades[0]);
            }

            var inIdOrder = Build(counted);
            var shuffled = new List<ParsedAggTrade>(counted);
            LogicSeeds.Shuffle(random, shuffled);
            var window = Build(shuffled);

            Assert.Equal(counted[0].Price, window.Open);
            Assert.Equal(counted[^1].Price, window.Close);
            Assert.Equal(counted.Max(t => t.Price), window.High);
            Assert.Equal(counted.Min(t => t.Price), window.Low);
            Assert.Equal(counted[0].AggregateId, window.FirstAggregateId);
            Assert.Equal(counted[^1].AggregateId, window.LastAggregateId);
            Assert.Equal(counted[0].FirstTradeId, window.FirstTradeId);
            Assert.Equal(counted[^1].LastTradeId, window.LastTradeId);
            Assert.Equal(counted.Max(t => t.TradeTimeMs), window.MaxTradeTimeMs);
            Assert.Equal(MergedTradeIds(counted), window.TradeIds.Spans);

            var reference = new ReferenceTotals();
            var fills = new long[TumblingWindow.MaxTrackedScale + 1];
            foreach (var trade in counted)
            {
                reference.Add(trade);
                var productScale = SignificantProductScale(trade.Price, trade.Quantity);
                for (var scale = 0; scale < fills.Length; scale++)
                {
                    fills[scale] += productScale > scale ? trade.TradeCount : 0;
                }
            }

            reference.AssertEqual(window.Totals);
            Assert.Equal(fills, window.FillsBeyondScale);
            Assert.Equal(ReferenceVwap(window.Totals.QuoteVolume, window.Totals.BaseVolume), Scaled(window.Vwap()));

            // Same set, other order: the very same state, down to every decimal's scale.
            Assert.Equal(TumblingWindowSerde.Instance.Serialize(inIdOrder), TumblingWindowSerde.Instance.Serialize(window));
        });
    }

    [Fact]
    public void Serde_RoundTrip_KeepsEveryFigureScaleSpanAndFlag()
    {
        LogicSeeds.Check(100, seed =>
        {
            var random = new Random(seed);
            var trades = GenerateWindowTrades(random).Where(_ => random.Next(5) != 0).ToList();
            var window = Build(trades);
            window.Revision = random.Next(0, 1000);
            window.Final = random.Next(2) == 0;
            window.FinalPublished = random.Next(2) == 0;
            window.Changed = random.Next(2) == 0;
            window.ReconciledRevision = random.Next(3) == 0 ? TumblingWindow.NeverReconciled : random.Next(0, 1000);
            if (random.Next(3) != 0)
            {
                window.Kline = new KlineFigures(D("1.50000000"), D("0.70000000"), D("2.00000000"), D("1.00000000"), random.Next(0, 1000), random.Next(-1, 100), random.Next(-1, 100));
            }

            var bytes = TumblingWindowSerde.Instance.Serialize(window);
            var copy = TumblingWindowSerde.Instance.Deserialize(bytes);

            AssertSameState(window, copy);
            Assert.Equal(bytes, TumblingWindowSerde.Instance.Serialize(window));
            Assert.Equal(bytes, TumblingWindowSerde.Instance.Serialize(copy));

            // The copy goes on exactly like the original.
            var next = Trade(trades.Count == 0 ? 1 : trades[^1].AggregateId + 5, "1.00000000", "1.00000000", 1_000_000_000, 1_000_000_001, WindowStartMs + 899_999, buyerIsMaker: false);
            Add(window, next);
            Add(copy, next);
            Assert.Equal(TumblingWindowSerde.Instance.Serialize(window), TumblingWindowSerde.Instance.Serialize(copy));
        });
    }

    [Fact]
    public void Serde_EmptyWindow_RoundTripsItsSentinels()
    {
        var window = new TumblingWindow();

        var copy = TumblingWindowSerde.Instance.Deserialize(TumblingWindowSerde.Instance.Serialize(window));

        AssertSameState(window, copy);
        Assert.Equal(-1, copy.FirstAggregateId);
        Assert.Equal(-1, copy.MaxTradeTimeMs);
        Assert.Equal(TumblingWindow.NeverReconciled, copy.ReconciledRevision);
        Assert.False(copy.HasTrades);
        Assert.Null(copy.Kline);
    }

    [Fact]
    public void Serde_KlineScale_IsKept()
    {
        var window = new TumblingWindow { Kline = new KlineFigures(D("1.50000000"), D("0.5"), D("2.0"), D("1"), 3, 10, 12) };

        var copy = TumblingWindowSerde.Instance.Deserialize(TumblingWindowSerde.Instance.Serialize(window));

        Assert.NotNull(copy.Kline);
        Assert.Equal("1.50000000", T(copy.Kline.QuoteVolume));
        Assert.Equal("2.0", T(copy.Kline.BaseVolume));
        Assert.Equal(window.Kline, copy.Kline);
    }

    internal static void Add(TumblingWindow window, in ParsedAggTrade trade) => window.Add(trade, TradeFigures.Of(trade));

    internal static TumblingWindow Build(IEnumerable<ParsedAggTrade> trades)
    {
        var window = new TumblingWindow();
        foreach (var trade in trades)
        {
            Add(window, trade);
        }

        return window;
    }

    /// <summary>Consecutive aggregate trades of one window (ids, trade ids and times increasing), one price and quantity scale per symbol.</summary>
    internal static List<ParsedAggTrade> GenerateWindowTrades(Random random)
    {
        var count = random.Next(1, 60);
        var aggregateId = random.NextInt64(1, 5_000_000_000);
        var tradeId = random.NextInt64(1, 9_000_000_000);
        var priceScale = random.Next(0, 9);
        var quantityScale = random.Next(0, 9);
        var priceDigits = random.Next(0, 6);
        var time = WindowStartMs + random.Next(0, 1000);
        var trades = new List<ParsedAggTrade>();
        for (var i = 0; i < count; i++)
        {
            var last = tradeId + random.Next(0, 4);
            time = Math.Min(WindowStartMs + 899_999, time + random.Next(0, 3) * random.Next(0, 30_000));
            trades.Add(Trade(aggregateId + i, RandomAmount(random, priceDigits, priceScale), RandomAmount(random, random.Next(0, 4), quantityScale), tradeId, last, time, random.Next(2) == 0));
            tradeId = last + 1;
        }

        return trades;
    }

    internal static List<IdRange> MergedTradeIds(IEnumerable<ParsedAggTrade> trades)
    {
        var merged = new List<IdRange>();
        foreach (var trade in trades.OrderBy(t => t.FirstTradeId))
        {
            if (merged.Count > 0 && merged[^1].Last + 1 >= trade.FirstTradeId)
            {
                merged[^1] = new IdRange(merged[^1].First, Math.Max(merged[^1].Last, trade.LastTradeId));
            }
            else
            {
                merged.Add(new IdRange(trade.FirstTradeId, trade.LastTradeId));
            }
        }

        return merged;
    }

    internal static void AssertSameState(TumblingWindow expected, TumblingWindow actual)
    {
        Assert.Equal(T(expected.Totals.TakerBuyQuote), T(actual.Totals.TakerBuyQuote));
        Assert.Equal(T(expected.Totals.TakerSellQuote), T(actual.Totals.TakerSellQuote));
        Assert.Equal(T(expected.Totals.TakerBuyBase), T(actual.Totals.TakerBuyBase));
        Assert.Equal(T(expected.Totals.TakerSellBase), T(actual.Totals.TakerSellBase));
        Assert.Equal(expected.Totals.AggregateTradeCount, actual.Totals.AggregateTradeCount);
        Assert.Equal(expected.Totals.TradeCount, actual.Totals.TradeCount);
        Assert.Equal(expected.FirstAggregateId, actual.FirstAggregateId);
        Assert.Equal(expected.LastAggregateId, actual.LastAggregateId);
        Assert.Equal(T(expected.Open), T(actual.Open));
        Assert.Equal(T(expected.High), T(actual.High));
        Assert.Equal(T(expected.Low), T(actual.Low));
        Assert.Equal(T(expected.Close), T(actual.Close));
        Assert.Equal(expected.Revision, actual.Revision);
        Assert.Equal(expected.Final, actual.Final);
        Assert.Equal(expected.FinalPublished, actual.FinalPublished);
        Assert.Equal(expected.Changed, actual.Changed);
        Assert.Equal(expected.MaxTradeTimeMs, actual.MaxTradeTimeMs);
        Assert.Equal(expected.ReconciledRevision, actual.ReconciledRevision);
        Assert.Equal(expected.NeedsReconciliation, actual.NeedsReconciliation);
        Assert.Equal(expected.TradeIds.Spans, actual.TradeIds.Spans);
        Assert.Equal(expected.FillsBeyondScale, actual.FillsBeyondScale);
        if (expected.Kline is null)
        {
            Assert.Null(actual.Kline);
        }
        else
        {
            Assert.NotNull(actual.Kline);
            Assert.Equal(expected.Kline, actual.Kline);
            Assert.Equal(T(expected.Kline.QuoteVolume), T(actual.Kline.QuoteVolume));
            Assert.Equal(T(expected.Kline.TakerBuyQuoteVolume), T(actual.Kline.TakerBuyQuoteVolume));
            Assert.Equal(T(expected.Kline.BaseVolume), T(actual.Kline.BaseVolume));
            Assert.Equal(T(expected.Kline.TakerBuyBaseVolume), T(actual.Kline.TakerBuyBaseVolume));
        }
    }

    /// <summary>The decimals p × q needs, from the integer product of the mantissas.</summary>
    private static int SignificantProductScale(decimal price, decimal quantity)
    {
        var (pm, ps, _) = Parts(price);
        var (qm, qs, _) = Parts(quantity);
        var mantissa = pm * qm;
        var scale = ps + qs;
        while (scale > 0 && mantissa % 10 == 0)
        {
            mantissa /= 10;
            scale--;
        }

        return scale;
    }

    /// <summary>quote / base rounded once, half to even, to 12 decimals; as a count of 10^-28.</summary>
    private static BigInteger ReferenceVwap(decimal quote, decimal baseVolume)
    {
        var numerator = Scaled(quote) * BigInteger.Pow(10, 12);
        var denominator = Scaled(baseVolume);
        var quotient = BigInteger.DivRem(numerator, denominator, out var remainder);
        var twice = remainder * 2;
        if (twice > denominator || (twice == denominator && !quotient.IsEven))
        {
            quotient += 1;
        }

        return quotient * BigInteger.Pow(10, Scale - 12);
    }
}
