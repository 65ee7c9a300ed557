namespace ExchangeSimulator.Market;

/// <summary>
/// What a 15-minute tumbling window <c>[start, end)</c> of one symbol truly contains: the figures a
/// taker-volume pipeline must reproduce. Volumes are exact, at the symbol's printed scales.
/// </summary>
public sealed record WindowTotals
{
    public required string Symbol { get; init; }

    public required long WindowStartUs { get; init; }

    /// <summary>Exclusive end.</summary>
    public required long WindowEndUs { get; init; }

    public required long AggregateTradeCount { get; init; }

    /// <summary>Σ (l − f + 1), the kline's <c>n</c>.</summary>
    public required long TradeCount { get; init; }

    public required long FirstAggregateId { get; init; }

    public required long LastAggregateId { get; init; }

    public required long FirstTradeId { get; init; }

    public required long LastTradeId { get; init; }

    /// <summary>Σ q where <c>m == false</c>.</summary>
    public required decimal TakerBuyBaseVolume { get; init; }

    /// <summary>Σ q where <c>m == true</c>.</summary>
    public required decimal TakerSellBaseVolume { get; init; }

    /// <summary>Σ p × q where <c>m == false</c> (the kline's <c>Q</c>).</summary>
    public required decimal TakerBuyQuoteVolume { get; init; }

    /// <summary>Σ p × q where <c>m == true</c> (the kline's <c>q − Q</c>).</summary>
    public required decimal TakerSellQuoteVolume { get; init; }

    internal static WindowTotals From(string symbol, KlineAccumulator window) => new()
    {
        Symbol = symbol,
        WindowStartUs = window.OpenTimeUs,
        WindowEndUs = window.OpenTimeUs + window.Interval.LengthUs,
        AggregateTradeCount = window.AggregateTradeCount,
        TradeCount = window.TradeCount,
        FirstAggregateId = window.FirstAggregateId,
        LastAggregateId = window.LastAggregateId,
        FirstTradeId = window.FirstTradeId,
        LastTradeId = window.LastTradeId,
        TakerBuyBaseVolume = window.TakerBuyBaseVolume,
        TakerSellBaseVolume = window.BaseVolume - window.TakerBuyBaseVolume,
        TakerBuyQuoteVolume = window.TakerBuyQuoteVolume,
        TakerSellQuoteVolume = window.QuoteVolume - window.TakerBuyQuoteVolume,
    };
}
