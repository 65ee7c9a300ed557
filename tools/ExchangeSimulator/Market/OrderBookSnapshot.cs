namespace ExchangeSimulator.Market;

/// <summary>
/// The book as <c>GET /api/v3/depth</c> returns it: the best levels after applying every update id up
/// to and including <see cref="LastUpdateId"/>. That id may fall inside a diff event not yet
/// published, exactly as on Binance, where the first event to apply straddles it.
/// </summary>
public sealed record OrderBookSnapshot
{
    public required string Symbol { get; init; }

    public required long LastUpdateId { get; init; }

    /// <summary>Time the snapshot was taken (futures print it as <c>E</c>).</summary>
    public required long EventTimeUs { get; init; }

    /// <summary>Time of the last book change (futures print it as <c>T</c>).</summary>
    public required long TransactionTimeUs { get; init; }

    /// <summary>Best first: descending price.</summary>
    public required IReadOnlyList<PriceLevel> Bids { get; init; }

    /// <summary>Best first: ascending price.</summary>
    public required IReadOnlyList<PriceLevel> Asks { get; init; }
}
