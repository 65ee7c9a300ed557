using System.Net;

namespace Ingest.Rest;

/// <summary>
/// Binance refused a request for weight: 429 (the IP's minute is used up) or 418 (the IP is banned after repeated 429s,
/// "from 2 minutes to 3 days", <c>shared/BINANCE.md</c> 1.4). By the time this is thrown the shared
/// <see cref="RequestWeightBudget"/> is already paused for <see cref="RetryAfter"/>, so a caller that simply tries again
/// waits in <see cref="RequestWeightBudget.AcquireAsync"/> instead of hammering the exchange into a longer ban.
/// </summary>
internal sealed class BinanceRateLimitedException : BinanceRestException
{
    public BinanceRateLimitedException()
    {
    }

    public BinanceRateLimitedException(string message)
        : base(message)
    {
    }

    public BinanceRateLimitedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public BinanceRateLimitedException(HttpStatusCode status, TimeSpan retryAfter, int? code, string? binanceMessage, Uri? requestUri)
        : base(status, code, binanceMessage, requestUri)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>From the <c>Retry-After</c> header, or the client's default when the header is missing.</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>418: the IP is banned, not just over this minute's budget.</summary>
    public bool IsBan => Status == (HttpStatusCode)418;
}
