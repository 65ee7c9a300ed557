namespace ExchangeSimulator.Market;

/// <summary>
/// A kline (candlestick) computed from aggregate trades, with Binance's figures. All volumes are exact
/// sums, printed at the symbol's scales (<see cref="SymbolSpec.QuantityScale"/>, <see cref="SymbolSpec.QuoteVolumeScale"/>).
/// </summary>
public sealed record Kline
{
    public required string Symbol { get; init; }

    public required KlineInterval Interval { get; init; }

    /// <summary><c>t</c>: interval start, simulated microseconds. Close time <c>T</c> is one unit before the next start.</summary>
    public required long OpenTimeUs { get; init; }

    /// <summary><c>f</c>: first individual trade id.</summary>
    public required long FirstTradeId { get; init; }

    /// <summary><c>L</c>: last individual trade id.</summary>
    public required long LastTradeId { get; init; }

    public required decimal Open { get; init; }

    public required decimal High { get; init; }

    public required decimal Low { get; init; }

    public required decimal Close { get; init; }

    /// <summary><c>v</c>: Σ q.</summary>
    public required decimal BaseVolume { get; init; }

    /// <summary><c>q</c>: Σ p × q.</summary>
    public required decimal QuoteVolume { get; init; }

    /// <summary><c>n</c>: Σ (l − f + 1).</summary>
    public required long TradeCount { get; init; }

    /// <summary><c>V</c>: Σ q over trades with <c>m == false</c> (the taker bought).</summary>
    public required decimal TakerBuyBaseVolume { get; init; }

    /// <summary><c>Q</c>: Σ p × q over trades with <c>m == false</c>.</summary>
    public required decimal TakerBuyQuoteVolume { get; init; }

    /// <summary><c>x</c>: the interval has ended.</summary>
    public required bool IsClosed { get; init; }
}
