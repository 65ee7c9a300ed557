namespace Ingest.Rest;

/// <summary>Paging and retry settings of <see cref="AggTradeBackfiller"/>.</summary>
internal sealed record AggTradeBackfillOptions
{
    /// <summary>Rows per request: Binance's maximum, since the weight is per request, not per row.</summary>
    public int PageSize { get; init; } = BinanceRestClient.MaxAggTradesLimit;

    /// <summary>
    /// Attempts per page for transient failures (network errors, timeouts, 5xx, unreadable bodies) before the backfill
    /// gives up and throws. 429/418 refusals do not count: they are waited out, as often as the exchange says.
    /// </summary>
    public int MaxAttempts { get; init; } = 6;

    public TimeSpan RetryMinDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    public double RetryFactor { get; init; } = 2;

    /// <summary>Seeds the retry jitter (tests); null uses <see cref="Random.Shared"/>.</summary>
    public int? RandomSeed { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(PageSize, nameof(PageSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PageSize, BinanceRestClient.MaxAggTradesLimit, nameof(PageSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxAttempts, nameof(MaxAttempts));
        _ = new Backoff(RetryMinDelay, RetryMaxDelay, RetryFactor);
    }
}
