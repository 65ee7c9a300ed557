namespace BinanceRecordings;

/// <summary>One diff-depth event (<c>@depth</c>, <c>@depth@100ms</c>): U, u, pu (USD-M only), E, T (USD-M only), b, a.</summary>
public sealed record DepthUpdateRecord
{
    /// <summary>U: first update id in the event.</summary>
    public required long FirstUpdateId { get; init; }

    /// <summary>u: final update id in the event.</summary>
    public required long FinalUpdateId { get; init; }

    /// <summary>pu: u of the previous event of the stream (USD-M futures only).</summary>
    public long? PreviousFinalUpdateId { get; init; }

    /// <summary>E.</summary>
    public required long EventTimeMs { get; init; }

    /// <summary>T: transaction time (USD-M futures only).</summary>
    public long? TransactionTimeMs { get; init; }

    /// <summary>b.</summary>
    public required IReadOnlyList<PriceLevel> Bids { get; init; }

    /// <summary>a.</summary>
    public required IReadOnlyList<PriceLevel> Asks { get; init; }
}
