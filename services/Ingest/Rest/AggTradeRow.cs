namespace Ingest.Rest;

/// <summary>
/// One row of a REST <c>aggTrades</c> page: the keys the backfill needs, and the row's bytes exactly as Binance sent
/// them, because they are published as the raw payload (re-serializing would change number formats and field order).
/// </summary>
/// <param name="AggregateId"><c>a</c>.</param>
/// <param name="TradeTimeMs"><c>T</c>, milliseconds since the epoch (the client does not ask for microseconds).</param>
/// <param name="IsMarkedInvalid">
/// <c>f = l = -1</c>: a duplicate Binance marked invalid in its 2022 audit (also <c>p = q = 0</c>, <c>shared/BINANCE.md</c> 1.4);
/// it holds an id but no trade, so it is counted, never published as one.
/// </param>
/// <param name="RowJson">The object's bytes, from <c>{</c> to <c>}</c>, a slice of the page's body (no copy).</param>
internal readonly record struct AggTradeRow(long AggregateId, long TradeTimeMs, bool IsMarkedInvalid, ReadOnlyMemory<byte> RowJson);
