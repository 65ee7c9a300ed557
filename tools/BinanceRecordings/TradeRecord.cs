using Streaming.Contracts;

namespace BinanceRecordings;

/// <summary>One individual trade (stream <c>@trade</c>): t, p, q, T, m, E.</summary>
public sealed record TradeRecord
{
    /// <summary>t: trade id, consecutive per symbol.</summary>
    public required long TradeId { get; init; }

    /// <summary>p.</summary>
    public required ExactNumber Price { get; init; }

    /// <summary>q.</summary>
    public required ExactNumber Quantity { get; init; }

    /// <summary>T.</summary>
    public required long TradeTimeMs { get; init; }

    /// <summary>m: the buyer was the maker, i.e. the taker sold.</summary>
    public required bool IsBuyerMaker { get; init; }

    /// <summary>E.</summary>
    public long? EventTimeMs { get; init; }

    /// <summary>p × q, exact.</summary>
    public decimal QuoteQuantity => ExactDecimal.Multiply(Price.Value, Quantity.Value);
}
