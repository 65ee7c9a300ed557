using Streaming.Processing.Idempotence;
using TakerVolume.Windows;

namespace TakerVolume.Reconciliation;

/// <summary>What comparing a closed window with the exchange's closed kline found.</summary>
internal enum KlineOutcome
{
    Match,
    ExchangeRounding,
    MissingTrades,
    IncompleteStart,
    Mismatch,
}

/// <summary>
/// The acceptance test, per window: the window's q, Q, v, V and n against the kline's. Exact equality is a match.
/// Otherwise the difference is explained, in this order: trade ids inside the kline's f..L that the window did not
/// count (before the first trade the processor ever counted for the symbol: it started inside the window; after:
/// missing trades, a feed gap); or, with n, v and V equal, q and Q within Binance's rounding of each fill's p × q to
/// the kline's decimals (one unit in the last place per fill whose product has more decimals); anything else is a
/// mismatch, a defect.
/// </summary>
internal sealed record KlineComparison(KlineOutcome Outcome, List<IdRange> MissingTradeIds, string Explanation)
{
    public static KlineComparison Of(TumblingWindow window, KlineFigures kline, long symbolFirstTradeId)
    {
        var totals = window.Totals;
        var quoteDiff = totals.QuoteVolume - kline.QuoteVolume;
        var takerQuoteDiff = totals.TakerBuyQuote - kline.TakerBuyQuoteVolume;
        var baseEqual = totals.BaseVolume == kline.BaseVolume && totals.TakerBuyBase == kline.TakerBuyBaseVolume;
        var countEqual = totals.TradeCount == kline.TradeCount;
        if (quoteDiff == 0m && takerQuoteDiff == 0m && baseEqual && countEqual)
        {
            return new(KlineOutcome.Match, [], string.Empty);
        }

        var missing = kline.FirstTradeId >= 0 && kline.LastTradeId >= kline.FirstTradeId
            ? window.TradeIds.Missing(kline.FirstTradeId, kline.LastTradeId)
            : [];
        if (missing.Count > 0)
        {
            // Ids before the first trade the processor counted for the symbol (none counted yet: all of them) are
            // explained by where processing began; only the others are a feed gap.
            var beforeStart = new List<IdRange>();
            var afterStart = new List<IdRange>();
            foreach (var range in missing)
            {
                (symbolFirstTradeId < 0 || range.Last < symbolFirstTradeId ? beforeStart : afterStart).Add(range);
            }

            var began = beforeStart.Count == 0
                ? string.Empty
                : $"processing of the symbol began inside the window: trade ids {string.Join(", ", beforeStart)} ({Count(beforeStart)}) precede the first trade counted ({(symbolFirstTradeId < 0 ? "none yet" : symbolFirstTradeId)})";
            return afterStart.Count == 0
                ? new(KlineOutcome.IncompleteStart, missing, began)
                : new(KlineOutcome.MissingTrades, missing,
                    $"trade ids {string.Join(", ", afterStart)} ({Count(afterStart)} of the kline's {kline.TradeCount}) missing: a feed gap not filled{(began.Length > 0 ? "; " + began : string.Empty)}");
        }

        var scale = kline.QuoteVolume.Scale;
        var rounded = window.FillsRoundedAt(scale);
        var tolerance = rounded * Unit(scale);
        if (countEqual && baseEqual && Math.Abs(quoteDiff) <= tolerance && Math.Abs(takerQuoteDiff) <= tolerance)
        {
            return new(KlineOutcome.ExchangeRounding, [], $"q differs by {quoteDiff}, Q by {takerQuoteDiff}: within the exchange's rounding of {rounded} fills' p x q to {scale} decimals");
        }

        return new(KlineOutcome.Mismatch, [], $"q differs by {quoteDiff}, Q by {takerQuoteDiff}, n by {totals.TradeCount - kline.TradeCount} with no trade id missing");
    }

    private static ulong Count(List<IdRange> ranges)
    {
        var count = 0UL;
        foreach (var range in ranges)
        {
            count += range.Count;
        }

        return count;
    }

    /// <summary>One unit in the last place at <paramref name="scale"/> decimals (10^-scale), exact.</summary>
    private static decimal Unit(int scale) => new(1, 0, 0, false, (byte)scale);
}
