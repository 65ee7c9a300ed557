namespace BinanceRecordings;

/// <summary>A REST depth snapshot (<c>/api/v3/depth</c>, <c>/fapi/v1/depth</c>).</summary>
public sealed record DepthSnapshot
{
    /// <summary>lastUpdateId: the book state after this update id.</summary>
    public required long LastUpdateId { get; init; }

    /// <summary>E (USD-M futures only).</summary>
    public long? EventTimeMs { get; init; }

    /// <summary>T (USD-M futures only).</summary>
    public long? TransactionTimeMs { get; init; }

    /// <summary>bids, best first.</summary>
    public required IReadOnlyList<PriceLevel> Bids { get; init; }

    /// <summary>asks, best first.</summary>
    public required IReadOnlyList<PriceLevel> Asks { get; init; }
}
