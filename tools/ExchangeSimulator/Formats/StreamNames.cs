using ExchangeSimulator.Market;

namespace ExchangeSimulator.Formats;

/// <summary>Binance stream names (lower-case symbol), as subscribed to and as the combined-stream wrapper's <c>"stream"</c>.</summary>
public static class StreamNames
{
    public static string AggTrade(SymbolSpec symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        return symbol.StreamName + "@aggTrade";
    }

    /// <summary><c>btcusdt@depth@100ms</c>; Spot's 1000 ms stream is plain <c>btcusdt@depth</c>.</summary>
    public static string Depth(SymbolSpec symbol, int periodMs)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        return periodMs == 1000 ? symbol.StreamName + "@depth" : $"{symbol.StreamName}@depth@{periodMs}ms";
    }

    public static string Kline(SymbolSpec symbol, KlineInterval interval)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        return $"{symbol.StreamName}@kline_{interval.Name}";
    }
}
