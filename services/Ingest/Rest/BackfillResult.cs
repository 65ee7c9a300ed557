namespace Ingest.Rest;

/// <summary>
/// The last item of a backfill: what could not be recovered, so the gap can be reported instead of silently lost.
/// </summary>
/// <param name="Symbol">The symbol backfilled.</param>
/// <param name="FromId">First id asked for.</param>
/// <param name="ToId">Last id asked for.</param>
/// <param name="Unfillable">
/// Ids in [<paramref name="FromId"/>, <paramref name="ToId"/>] the exchange did not return, ascending and merged: ids it
/// skipped while paging (a hole in its own history) and, when <paramref name="ExchangeHadNoMore"/>, the tail after its last row.
/// </param>
/// <param name="TradeCount">Trades yielded.</param>
/// <param name="InvalidRowCount">Rows in the range Binance marks invalid (<c>f = l = -1</c>): dropped, counted here.</param>
/// <param name="ExchangeHadNoMore">
/// The exchange ran out of rows before <paramref name="ToId"/>. The last unfillable range is then that tail, which might
/// still appear later (an id asked for before the exchange's database has it) rather than being a permanent hole.
/// </param>
/// <param name="Pages">Successful <c>aggTrades</c> requests.</param>
/// <param name="Retries">Failed requests retried (transient errors and 429/418 refusals).</param>
internal sealed record BackfillResult(
    string Symbol,
    long FromId,
    long ToId,
    IReadOnlyList<AggIdRange> Unfillable,
    long TradeCount,
    long InvalidRowCount,
    bool ExchangeHadNoMore,
    int Pages,
    int Retries) : BackfillItem
{
    /// <summary>Whether every id of the range was recovered (as a trade or as an invalid row).</summary>
    public bool IsComplete => Unfillable.Count == 0;

    public long UnfillableIdCount => Unfillable.Sum(r => r.Count);
}
