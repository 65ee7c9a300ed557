using System.Globalization;
using Streaming.Contracts.Analytics.V1;

namespace TakerVolume.Benchmarks.Input;

/// <summary>
/// The oracle of a run: every unique trade's exact figures summed per (symbol, 15-minute window), independently of
/// the processor (plain <c>decimal</c> products of the generated prices and quantities). A run's results are exact
/// when the latest value it published for every window equals these sums, and it published no other window.
/// </summary>
internal sealed class ExpectedWindows
{
    public const long WindowMs = 15 * 60 * 1000;

    private readonly Dictionary<(string Symbol, long Start), Totals> _windows = [];

    public int Count => _windows.Count;

    public long Trades { get; private set; }

    /// <summary>Unique trades per symbol.</summary>
    public Dictionary<string, long> BySymbol { get; } = new(StringComparer.Ordinal);

    public void Add(string symbol, in GeneratedTrade trade)
    {
        var timeMs = trade.TimeUs / 1000;
        var key = (symbol, timeMs - (timeMs % WindowMs));
        if (!_windows.TryGetValue(key, out var totals))
        {
            _windows[key] = totals = new Totals();
        }

        var quote = trade.Price * trade.Quantity;
        if (trade.BuyerIsMaker)
        {
            totals.SellQuote += quote;
        }
        else
        {
            totals.BuyQuote += quote;
        }

        totals.AggregateTrades++;
        totals.Fills += trade.LastTradeId - trade.FirstTradeId + 1;
        Trades++;
        BySymbol[symbol] = BySymbol.GetValueOrDefault(symbol) + 1;
    }

    /// <summary>Compares with the latest published value per window; the first differences, or none.</summary>
    public IReadOnlyList<string> Compare(IReadOnlyDictionary<(string Symbol, long Start), TakerVolumeWindow> published)
    {
        ArgumentNullException.ThrowIfNull(published);
        var differences = new List<string>();
        foreach (var (key, expected) in _windows)
        {
            if (!published.TryGetValue(key, out var window))
            {
                differences.Add(string.Create(CultureInfo.InvariantCulture, $"{key.Symbol}@{key.Start}: not published"));
                continue;
            }

            var totals = window.Totals;
            if (totals.AggregateTradeCount != expected.AggregateTrades || totals.TradeCount != expected.Fills
                || decimal.Parse(totals.TakerBuyQuoteVolume, CultureInfo.InvariantCulture) != expected.BuyQuote
                || decimal.Parse(totals.TakerSellQuoteVolume, CultureInfo.InvariantCulture) != expected.SellQuote)
            {
                differences.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{key.Symbol}@{key.Start}: published {totals.AggregateTradeCount} trades, buy {totals.TakerBuyQuoteVolume}, sell {totals.TakerSellQuoteVolume}; "
                    + $"expected {expected.AggregateTrades}, {expected.BuyQuote}, {expected.SellQuote}"));
            }
        }

        foreach (var key in published.Keys.Where(k => !_windows.ContainsKey(k)))
        {
            differences.Add(string.Create(CultureInfo.InvariantCulture, $"{key.Symbol}@{key.Start}: published, not expected"));
        }

        return differences;
    }

    private sealed class Totals
    {
        public decimal BuyQuote { get; set; }

        public decimal SellQuote { get; set; }

        public long AggregateTrades { get; set; }

        public long Fills { get; set; }
    }
}
