using BinanceRecordings;
using Streaming.Contracts;

namespace TakerVolume.Tests.Crash;

/// <summary>
/// What a set of trades adds up to, summed directly from the trades with exact decimal arithmetic (nothing of the
/// processor's): the figures of a tumbling window, a trailing window or a kline.
/// </summary>
internal sealed record CrashOracle(
    decimal TakerBuyQuote,
    decimal TakerSellQuote,
    decimal TakerBuyBase,
    decimal TakerSellBase,
    long AggregateCount,
    long TradeCount,
    long FirstAggregateId,
    long LastAggregateId,
    long FirstTradeId,
    long LastTradeId,
    decimal Open,
    decimal High,
    decimal Low,
    decimal Close)
{
    /// <summary>The threshold of a large-trade alert (the processor's default).</summary>
    public const decimal LargeTradeQuote = 100_000m;

    public static CrashOracle Of(IEnumerable<AggTradeRecord> trades)
    {
        decimal buyQuote = 0m, sellQuote = 0m, buyBase = 0m, sellBase = 0m;
        long count = 0, tradeCount = 0;
        AggTradeRecord? first = null, last = null;
        decimal high = decimal.MinValue, low = decimal.MaxValue;
        foreach (var trade in trades)
        {
            var quote = ExactDecimal.Multiply(trade.Price.Value, trade.Quantity.Value);
            if (trade.IsTakerBuy)
            {
                buyQuote = ExactDecimal.Add(buyQuote, quote);
                buyBase = ExactDecimal.Add(buyBase, trade.Quantity.Value);
            }
            else
            {
                sellQuote = ExactDecimal.Add(sellQuote, quote);
                sellBase = ExactDecimal.Add(sellBase, trade.Quantity.Value);
            }

            count++;
            tradeCount += trade.TradeCount;
            high = Math.Max(high, trade.Price.Value);
            low = Math.Min(low, trade.Price.Value);
            first = first is null || trade.AggregateTradeId < first.AggregateTradeId ? trade : first;
            last = last is null || trade.AggregateTradeId > last.AggregateTradeId ? trade : last;
        }

        return first is null || last is null
            ? new CrashOracle(0m, 0m, 0m, 0m, 0, 0, -1, -1, -1, -1, 0m, 0m, 0m, 0m)
            : new CrashOracle(buyQuote, sellQuote, buyBase, sellBase, count, tradeCount, first.AggregateTradeId, last.AggregateTradeId,
                first.FirstTradeId, last.LastTradeId, first.Price.Value, high, low, last.Price.Value);
    }

    /// <summary>The trades of a trailing window (end − length, end].</summary>
    public static CrashOracle Trailing(IEnumerable<AggTradeRecord> trades, long endMs, long lengthMs) =>
        Of(trades.Where(t => t.TradeTimeMs > endMs - lengthMs && t.TradeTimeMs <= endMs));

    public static bool IsLarge(AggTradeRecord trade) => ExactDecimal.Multiply(trade.Price.Value, trade.Quantity.Value) >= LargeTradeQuote;
}
