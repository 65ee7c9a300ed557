namespace ExchangeSimulator.Rest;

/// <summary>Limits of the simulated REST API. Defaults are Binance's documented ones (<c>shared/BINANCE.md</c> 1.4).</summary>
public sealed record BinanceRestOptions
{
    /// <summary>
    /// <c>REQUEST_WEIGHT</c> budget per client IP per minute: 6000 on Spot (enums.md example). USD-M futures
    /// documents 2400; set it explicitly when simulating futures limits.
    /// </summary>
    public int RequestWeightPerMinute { get; init; } = 6000;

    /// <summary>
    /// After the first 429 of a minute, the request that is the Nth further one refused in the same minute is
    /// answered 418 and bans the IP (with 3: 429, 429, 429, 418). Binance only says "repeated violations".
    /// </summary>
    public int RefusedRequestsBeforeBan { get; init; } = 3;

    /// <summary>First ban length; each later ban of the same IP doubles it, up to <see cref="MaxBan"/> ("from 2 minutes to 3 days").</summary>
    public TimeSpan FirstBan { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan MaxBan { get; init; } = TimeSpan.FromDays(3);

    /// <summary>The clock of the weight windows and bans (not of the market, which only moves when advanced).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(RequestWeightPerMinute, nameof(RequestWeightPerMinute));
        ArgumentOutOfRangeException.ThrowIfNegative(RefusedRequestsBeforeBan, nameof(RefusedRequestsBeforeBan));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(FirstBan, TimeSpan.Zero, nameof(FirstBan));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBan, FirstBan, nameof(MaxBan));
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
