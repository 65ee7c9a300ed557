namespace Ingest.Rest;

/// <summary>
/// What <see cref="AggTradeBackfiller.BackfillAsync"/> yields: a <see cref="BackfillTrade"/> per recovered trade, then
/// exactly one <see cref="BackfillResult"/> last. One stream rather than trades plus an out-value, because an async
/// iterator has no out parameters and the caller must publish trades as they come, not after the whole range.
/// </summary>
internal abstract record BackfillItem;
