namespace Ingest.Rest;

/// <summary>
/// One <c>aggTrades?fromId=</c> answer. The rows' <see cref="AggTradeRow.RowJson"/> slice <see cref="Body"/>, so the
/// page is one allocation however many rows it holds.
/// </summary>
internal sealed class AggTradesPage(string symbol, long fromId, int limit, IReadOnlyList<AggTradeRow> rows, ReadOnlyMemory<byte> body)
{
    public string Symbol => symbol;

    /// <summary>The <c>fromId</c> asked for (inclusive).</summary>
    public long FromId => fromId;

    /// <summary>The <c>limit</c> asked for: a page with fewer rows means the exchange had no more at the time.</summary>
    public int Limit => limit;

    /// <summary>In the order Binance sent them (ascending ids).</summary>
    public IReadOnlyList<AggTradeRow> Rows => rows;

    /// <summary>The whole response body.</summary>
    public ReadOnlyMemory<byte> Body => body;

    /// <summary>Whether the page is full, so more rows may follow it.</summary>
    public bool IsFull => rows.Count >= limit;
}
