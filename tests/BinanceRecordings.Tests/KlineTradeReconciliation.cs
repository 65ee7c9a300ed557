using Streaming.Contracts;

namespace BinanceRecordings.Tests;

/// <summary>
/// The data/README.md check: between two updates of the same kline whose last trade ids L fall on
/// aggTrade boundaries, the kline's change equals the aggTrades in between.
/// How figures are compared: n, v and V must match exactly. q and Q must match exactly when every
/// trade's p × q has no more fractional digits than the kline's text (8 on spot). Otherwise
/// Binance has rounded each fill's product to the kline's scale; an aggTrade's split into fills is
/// not recorded, so the difference must stay within one unit in the last place per fill whose
/// product had to be rounded, and such a pair is counted as "rounded", not "exact".
/// </summary>
internal sealed class KlineTradeReconciliation
{
    public int Exact { get; private set; }

    public int Rounded { get; private set; }

    public int NoNewTrades { get; private set; }

    public int NotCovered { get; private set; }

    public List<string> Mismatches { get; } = [];

    public void Check(string symbol, KlineRecord before, KlineRecord after, IReadOnlyList<AggTradeRecord> tradesOfSymbol)
    {
        var between = tradesOfSymbol.Where(t => t.FirstTradeId > before.LastTradeId && t.LastTradeId <= after.LastTradeId).OrderBy(t => t.FirstTradeId).ToList();
        if (!Covers(between, before.LastTradeId!.Value + 1, after.LastTradeId!.Value))
        {
            NotCovered++;
            return;
        }

        var scale = Math.Max(after.QuoteVolume.Value.Scale, before.QuoteVolume.Value.Scale);
        var roundedFills = between.Where(t => decimal.Round(t.QuoteQuantity, scale) != t.QuoteQuantity).Sum(t => t.TradeCount);
        var tolerance = roundedFills * Unit(scale);
        var where = $"{symbol} kline t={before.OpenTimeMs} L {before.LastTradeId}->{after.LastTradeId}";

        Expect(where, "n", after.TradeCount - before.TradeCount, between.Sum(t => t.TradeCount));
        Expect(where, "v", Delta(before.Volume, after.Volume), Sum(between, t => t.Quantity.Value));
        Expect(where, "V", Delta(before.TakerBuyVolume, after.TakerBuyVolume), Sum(between.Where(t => t.IsTakerBuy), t => t.Quantity.Value));
        var quoteExact = ExpectQuote(where, "q", Delta(before.QuoteVolume, after.QuoteVolume), Sum(between, t => t.QuoteQuantity), tolerance);
        var takerExact = ExpectQuote(where, "Q", Delta(before.TakerBuyQuoteVolume, after.TakerBuyQuoteVolume), Sum(between.Where(t => t.IsTakerBuy), t => t.QuoteQuantity), tolerance);

        if (between.Count == 0)
        {
            NoNewTrades++;
        }
        else if (quoteExact && takerExact)
        {
            Exact++;
        }
        else
        {
            Rounded++;
        }
    }

    private static bool Covers(List<AggTradeRecord> trades, long firstId, long lastId)
    {
        var next = firstId;
        foreach (var trade in trades)
        {
            if (trade.FirstTradeId != next)
            {
                return false;
            }

            next = trade.LastTradeId + 1;
        }

        return next == lastId + 1;
    }

    private static decimal Unit(int scale) => 1m / (decimal)Math.Pow(10, scale);

    private static decimal Delta(ExactNumber before, ExactNumber after) => after.Value - before.Value;

    private static decimal Sum(IEnumerable<AggTradeRecord> trades, Func<AggTradeRecord, decimal> value) =>
        trades.Aggregate(0m, (sum, trade) => ExactDecimal.Add(sum, value(trade)));

    private void Expect<T>(string where, string field, T kline, T trades)
        where T : IEquatable<T>
    {
        if (!kline.Equals(trades))
        {
            Mismatches.Add($"{where}: Δ{field} {kline} != trades {trades}");
        }
    }

    /// <returns>Whether the figures are exactly equal.</returns>
    private bool ExpectQuote(string where, string field, decimal kline, decimal trades, decimal tolerance)
    {
        if (kline == trades)
        {
            return true;
        }

        if (Math.Abs(kline - trades) > tolerance)
        {
            Mismatches.Add($"{where}: Δ{field} {kline} != trades {trades} (rounding tolerance {tolerance})");
        }

        return false;
    }
}
