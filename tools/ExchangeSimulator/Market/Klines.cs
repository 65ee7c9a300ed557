namespace ExchangeSimulator.Market;

/// <summary>Klines from aggregate trades, the way Binance computes them (REST <c>/api/v3/klines</c>, <c>@kline_&lt;i&gt;</c>).</summary>
public static class Klines
{
    /// <summary>
    /// One kline per interval holding at least one trade (intervals without trades are skipped, not
    /// filled), from trades of one symbol in trade order. A kline is closed when
    /// <paramref name="asOfUs"/> has reached its end.
    /// </summary>
    public static IReadOnlyList<Kline> Compute(SymbolSpec spec, IEnumerable<AggregateTrade> trades, KlineInterval interval, long asOfUs)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(trades);
        var klines = new List<Kline>();
        KlineAccumulator? current = null;
        foreach (var trade in trades)
        {
            if (trade.IsMarkedInvalid)
            {
                continue;
            }

            var start = interval.StartOf(trade.TradeTimeUs);
            if (current is null || current.OpenTimeUs != start)
            {
                if (current is not null)
                {
                    klines.Add(current.ToKline(IsClosed(current, asOfUs)));
                }

                current = new KlineAccumulator(spec, interval, start);
            }

            current.Add(trade);
        }

        if (current is not null)
        {
            klines.Add(current.ToKline(IsClosed(current, asOfUs)));
        }

        return klines;
    }

    private static bool IsClosed(KlineAccumulator kline, long asOfUs) => asOfUs >= kline.OpenTimeUs + kline.Interval.LengthUs;
}
