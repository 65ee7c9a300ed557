namespace Ingest.Rest;

/// <summary>One aggregate trade recovered from REST, within the requested range and not marked invalid.</summary>
/// <param name="Symbol">The symbol backfilled.</param>
/// <param name="Row">The row, with its bytes exactly as Binance sent them.</param>
internal sealed record BackfillTrade(string Symbol, AggTradeRow Row) : BackfillItem;
