namespace BinanceRecordings;

/// <summary>
/// One kline, from the <c>@kline_&lt;interval&gt;</c> stream (field letters under k: t, T, i, f, L,
/// o, h, l, c, v, q, n, V, Q, x) or a data.binance.vision klines CSV row (which has no interval,
/// trade ids or x: archived klines are closed).
/// </summary>
public sealed record KlineRecord
{
    /// <summary>t in microseconds (t × 1000 for millisecond sources).</summary>
    public required long OpenTimeUs { get; init; }

    /// <summary>T in microseconds (T × 1000 for millisecond sources).</summary>
    public required long CloseTimeUs { get; init; }

    /// <summary>i, e.g. "1m", "15m"; null for CSV rows.</summary>
    public string? Interval { get; init; }

    /// <summary>f; null for CSV rows.</summary>
    public long? FirstTradeId { get; init; }

    /// <summary>L; null for CSV rows.</summary>
    public long? LastTradeId { get; init; }

    /// <summary>o.</summary>
    public required ExactNumber Open { get; init; }

    /// <summary>h.</summary>
    public required ExactNumber High { get; init; }

    /// <summary>l.</summary>
    public required ExactNumber Low { get; init; }

    /// <summary>c.</summary>
    public required ExactNumber Close { get; init; }

    /// <summary>v: base volume.</summary>
    public required ExactNumber Volume { get; init; }

    /// <summary>q: quote volume.</summary>
    public required ExactNumber QuoteVolume { get; init; }

    /// <summary>n: number of individual trades.</summary>
    public required long TradeCount { get; init; }

    /// <summary>V: taker buy base volume.</summary>
    public required ExactNumber TakerBuyVolume { get; init; }

    /// <summary>Q: taker buy quote volume.</summary>
    public required ExactNumber TakerBuyQuoteVolume { get; init; }

    /// <summary>x: the kline is final.</summary>
    public required bool IsClosed { get; init; }

    /// <summary>E of the stream event; null for CSV rows.</summary>
    public long? EventTimeMs { get; init; }

    /// <summary>t in milliseconds.</summary>
    public long OpenTimeMs => OpenTimeUs / 1000;
}
