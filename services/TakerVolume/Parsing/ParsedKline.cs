namespace TakerVolume.Parsing;

/// <summary>
/// One kline WebSocket event (any interval). Times are in milliseconds (converted from
/// microseconds when the payload had them); decimals keep the exchange's scale.
/// </summary>
/// <param name="OpenTimeMs">k.t.</param>
/// <param name="CloseTimeMs">k.T (the last millisecond of the kline, e.g. ...899999 for a 15m kline).</param>
/// <param name="Interval">k.i, e.g. "15m" (the common intervals are shared instances).</param>
/// <param name="FirstTradeId">k.f (-1 when the kline has no trades).</param>
/// <param name="LastTradeId">k.L (-1 when the kline has no trades).</param>
/// <param name="Open">k.o.</param>
/// <param name="High">k.h.</param>
/// <param name="Low">k.l.</param>
/// <param name="Close">k.c.</param>
/// <param name="BaseVolume">k.v.</param>
/// <param name="QuoteVolume">k.q.</param>
/// <param name="TakerBuyBaseVolume">k.V.</param>
/// <param name="TakerBuyQuoteVolume">k.Q.</param>
/// <param name="TradeCount">k.n.</param>
/// <param name="IsClosed">k.x: the kline is final.</param>
/// <param name="EventTimeMs">E in ms, or -1 when absent.</param>
internal readonly record struct ParsedKline(
    long OpenTimeMs, long CloseTimeMs, string Interval, long FirstTradeId, long LastTradeId,
    decimal Open, decimal High, decimal Low, decimal Close,
    decimal BaseVolume, decimal QuoteVolume, decimal TakerBuyBaseVolume, decimal TakerBuyQuoteVolume,
    long TradeCount, bool IsClosed, long EventTimeMs);
