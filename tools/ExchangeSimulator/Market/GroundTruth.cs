namespace ExchangeSimulator.Market;

/// <summary>
/// Everything the market generated, kept to answer what an exchange (REST aggTrades) or a test
/// (what should this pipeline's 15-minute window hold?) asks. Listen with it, directly or beside
/// other listeners. Keeps every trade in memory: meant for runs of hours, not weeks.
/// </summary>
public sealed class GroundTruth : IMarketListener
{
    private readonly Dictionary<string, SymbolHistory> _symbols;

    public GroundTruth(IEnumerable<SymbolSpec> symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        _symbols = symbols.ToDictionary(s => s.Name, s => new SymbolHistory(s), StringComparer.Ordinal);
    }

    /// <summary>The tumbling window length of <see cref="GetWindow"/>: 15 minutes, UTC epoch-aligned.</summary>
    public static KlineInterval WindowInterval => KlineInterval.FifteenMinutes;

    /// <summary>Trades the exchange's history lacks (an injected fault); <see cref="QueryTrades"/> skips them.</summary>
    public HistoryHoles Holes { get; } = new();

    public long TotalTradeCount { get; private set; }

    public long TotalDepthUpdateCount { get; private set; }

    public void OnTrade(in AggregateTrade trade)
    {
        var history = _symbols[trade.Symbol];
        history.Trades.Add(trade);
        TotalTradeCount++;
        if (trade.IsMarkedInvalid)
        {
            return;
        }

        var windowStart = WindowInterval.StartOf(trade.TradeTimeUs);
        if (history.Windows.Count == 0 || history.Windows[^1].OpenTimeUs != windowStart)
        {
            history.Windows.Add(new KlineAccumulator(history.Spec, WindowInterval, windowStart));
        }

        history.Windows[^1].Add(trade);
    }

    public void OnDepthUpdate(DepthUpdate update) => TotalDepthUpdateCount++;

    /// <summary>Every trade of <paramref name="symbol"/>, in id (and time) order.</summary>
    public IReadOnlyList<AggregateTrade> GetTrades(string symbol) => _symbols[symbol].Trades;

    /// <summary>
    /// Trades as <c>GET /api/v3/aggTrades</c> selects them: from <paramref name="fromId"/> (inclusive) if
    /// given, else with <c>T</c> in [<paramref name="startTimeUs"/>, <paramref name="endTimeUs"/>], else the
    /// most recent; at most <paramref name="limit"/>, ascending.
    /// </summary>
    public IReadOnlyList<AggregateTrade> QueryTrades(string symbol, long? fromId, long? startTimeUs, long? endTimeUs, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var trades = _symbols[symbol].Trades;
        int first;
        var end = trades.Count;
        if (fromId is { } id)
        {
            first = LowerBound(trades, id, static t => t.AggregateId);
        }
        else if (startTimeUs is not null || endTimeUs is not null)
        {
            first = startTimeUs is { } start ? LowerBound(trades, start, static t => t.TradeTimeUs) : 0;
            end = endTimeUs is { } stop ? LowerBound(trades, stop + 1, static t => t.TradeTimeUs) : trades.Count;
        }
        else
        {
            first = Math.Max(0, trades.Count - limit);
        }

        var count = Math.Clamp(end - first, 0, limit);
        if (Holes.IsEmpty)
        {
            return trades.GetRange(first, count);
        }

        // Binance pages past a hole: the rows after it fill the page, as if the missing ids never existed.
        var selected = new List<AggregateTrade>(count);
        for (var i = fromId is null && startTimeUs is null && endTimeUs is null ? SkipBackOverHoles(trades, symbol, limit) : first;
             i < end && selected.Count < limit;
             i++)
        {
            if (!Holes.IsMissing(symbol, trades[i].AggregateId))
            {
                selected.Add(trades[i]);
            }
        }

        return selected;
    }

    /// <summary>The totals of the window starting at <paramref name="windowStartUs"/>, or null if it holds no trade.</summary>
    public WindowTotals? GetWindow(string symbol, long windowStartUs)
    {
        var history = _symbols[symbol];
        var window = history.Windows.Find(w => w.OpenTimeUs == windowStartUs);
        return window is null ? null : WindowTotals.From(symbol, window);
    }

    /// <summary>Totals of every window of <paramref name="symbol"/> holding trades, in time order.</summary>
    public IEnumerable<WindowTotals> GetWindows(string symbol) =>
        _symbols[symbol].Windows.Select(w => WindowTotals.From(symbol, w));

    /// <summary>Where the most recent <paramref name="limit"/> trades present in history start.</summary>
    private int SkipBackOverHoles(List<AggregateTrade> trades, string symbol, int limit)
    {
        var found = 0;
        var i = trades.Count;
        while (i > 0 && found < limit)
        {
            i--;
            if (!Holes.IsMissing(symbol, trades[i].AggregateId))
            {
                found++;
            }
        }

        return i;
    }

    private static int LowerBound(List<AggregateTrade> trades, long key, Func<AggregateTrade, long> keyOf)
    {
        var (low, high) = (0, trades.Count);
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (keyOf(trades[middle]) < key)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private sealed record SymbolHistory(SymbolSpec Spec)
    {
        public List<AggregateTrade> Trades { get; } = [];

        public List<KlineAccumulator> Windows { get; } = [];
    }
}
