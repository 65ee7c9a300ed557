using Streaming.Contracts;

namespace ExchangeSimulator.Market;

/// <summary>
/// One aggregate trade as Binance's <c>aggTrade</c> reports it: fills of one taker order at one price.
/// Times are simulated microseconds since the epoch (<see cref="SimulatedTime"/>).
/// </summary>
/// <param name="Symbol">Upper-case symbol, <c>s</c>.</param>
/// <param name="AggregateId"><c>a</c>: consecutive per symbol.</param>
/// <param name="Price"><c>p</c>, with the symbol's printed scale.</param>
/// <param name="Quantity"><c>q</c>, with the symbol's printed scale.</param>
/// <param name="FirstTradeId"><c>f</c>.</param>
/// <param name="LastTradeId"><c>l</c>: <c>f..l</c> are contiguous, and the next trade starts at <c>l + 1</c>.</param>
/// <param name="TradeTimeUs"><c>T</c>: non-decreasing per symbol.</param>
/// <param name="EventTimeUs"><c>E</c>: at or after <c>T</c>, non-decreasing per symbol.</param>
/// <param name="BuyerIsMaker"><c>m</c>: true when the taker sold.</param>
public readonly record struct AggregateTrade(
    string Symbol,
    long AggregateId,
    decimal Price,
    decimal Quantity,
    long FirstTradeId,
    long LastTradeId,
    long TradeTimeUs,
    long EventTimeUs,
    bool BuyerIsMaker)
{
    /// <summary>
    /// A row Binance itself marks invalid (<c>f = l = -1</c>, with <c>p</c> and <c>q</c> zero): served by REST and the
    /// archive, left out of klines, so left out of every window here too.
    /// </summary>
    public bool IsMarkedInvalid => FirstTradeId == -1 && LastTradeId == -1;

    /// <summary>Individual trades aggregated: <c>l - f + 1</c> (what a kline's <c>n</c> counts).</summary>
    public long TradeCount => LastTradeId - FirstTradeId + 1;

    /// <summary><c>p × q</c>, exact.</summary>
    public decimal QuoteQuantity => ExactDecimal.Multiply(Price, Quantity);
}
