using Streaming.Contracts;

namespace BinanceRecordings;

/// <summary>
/// One aggregate trade (stream <c>@aggTrade</c>, REST aggTrades, data.binance.vision aggTrades CSV).
/// Field letters are the exchange's: a, p, q, f, l, T, m, E.
/// </summary>
public sealed record AggTradeRecord
{
    /// <summary>a: aggregate trade id, consecutive per symbol.</summary>
    public required long AggregateTradeId { get; init; }

    /// <summary>p.</summary>
    public required ExactNumber Price { get; init; }

    /// <summary>q.</summary>
    public required ExactNumber Quantity { get; init; }

    /// <summary>f: first individual trade id (-1 on rows Binance marked invalid).</summary>
    public required long FirstTradeId { get; init; }

    /// <summary>l: last individual trade id (-1 on rows Binance marked invalid).</summary>
    public required long LastTradeId { get; init; }

    /// <summary>
    /// T in microseconds since the epoch: exact for the µs archive files, T × 1000 for millisecond
    /// sources, so one type serves both without losing the archives' sub-millisecond order.
    /// </summary>
    public required long TradeTimeUs { get; init; }

    /// <summary>m: the buyer was the maker, i.e. the taker sold.</summary>
    public required bool IsBuyerMaker { get; init; }

    /// <summary>E, only on stream events.</summary>
    public long? EventTimeMs { get; init; }

    /// <summary>T in milliseconds, the unit of kline boundaries.</summary>
    public long TradeTimeMs => TradeTimeUs / 1000;

    /// <summary>m == false: the taker bought.</summary>
    public bool IsTakerBuy => !IsBuyerMaker;

    /// <summary>Individual trades aggregated: l − f + 1 (what a kline's n counts).</summary>
    public long TradeCount => LastTradeId - FirstTradeId + 1;

    /// <summary>p × q, exact (scale = scale of p + scale of q).</summary>
    public decimal QuoteQuantity => ExactDecimal.Multiply(Price.Value, Quantity.Value);
}
