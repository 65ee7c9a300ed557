namespace ExchangeSimulator.Market;

/// <summary>
/// One diff-depth event (<c>depthUpdate</c>): the final quantity of every level changed by book
/// updates <c>U..u</c>. Consecutive events of a symbol satisfy <c>U = previous u + 1</c>.
/// </summary>
public sealed record DepthUpdate
{
    public required string Symbol { get; init; }

    /// <summary><c>U</c>: first update id in this event.</summary>
    public required long FirstUpdateId { get; init; }

    /// <summary><c>u</c>: final update id in this event.</summary>
    public required long FinalUpdateId { get; init; }

    /// <summary><c>pu</c>: the previous event's <c>u</c> (printed on USD-M futures only).</summary>
    public required long PreviousFinalUpdateId { get; init; }

    /// <summary><c>E</c>, simulated microseconds.</summary>
    public required long EventTimeUs { get; init; }

    /// <summary><c>T</c>: time of the last book change in the event (printed on USD-M futures only).</summary>
    public required long TransactionTimeUs { get; init; }

    /// <summary>Changed bid levels, ascending price.</summary>
    public required IReadOnlyList<PriceLevel> Bids { get; init; }

    /// <summary>Changed ask levels, ascending price.</summary>
    public required IReadOnlyList<PriceLevel> Asks { get; init; }
}
