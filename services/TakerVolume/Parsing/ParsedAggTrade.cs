namespace TakerVolume.Parsing;

/// <summary>
/// One aggregate trade as the exchange sent it. Prices/quantities keep the exchange's scale
/// (text "64123.45000000" -> decimal with Scale 8).
/// </summary>
/// <param name="AggregateId">a: aggregate trade id, consecutive per symbol.</param>
/// <param name="Price">p, exact, scale kept.</param>
/// <param name="Quantity">q, exact, scale kept.</param>
/// <param name="FirstTradeId">f (-1 on rows Binance marked invalid).</param>
/// <param name="LastTradeId">l (-1 on rows Binance marked invalid).</param>
/// <param name="TradeTimeMs">T in ms (floor(us/1000) when the payload is in microseconds).</param>
/// <param name="TradeTimeUs">T in microseconds when the payload had microseconds, otherwise -1.</param>
/// <param name="EventTimeMs">E in ms, or -1 when absent (REST rows have no E).</param>
/// <param name="BuyerIsMaker">m: the buyer was the maker, i.e. the taker sold.</param>
internal readonly record struct ParsedAggTrade(
    long AggregateId, decimal Price, decimal Quantity, long FirstTradeId, long LastTradeId,
    long TradeTimeMs,
    long TradeTimeUs,
    long EventTimeMs,
    bool BuyerIsMaker)
{
    /// <summary>Binance's own "invalid" rows from its 2022 audit: p == 0, q == 0, f == -1, l == -1.</summary>
    public bool IsMarkedInvalid => FirstTradeId == -1 && LastTradeId == -1 && Price == 0m && Quantity == 0m;

    /// <summary>Individual trades aggregated: l - f + 1 (what a kline's n counts).</summary>
    public long TradeCount => LastTradeId - FirstTradeId + 1;
}
