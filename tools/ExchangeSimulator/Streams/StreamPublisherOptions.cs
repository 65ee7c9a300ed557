using ExchangeSimulator.Market;

namespace ExchangeSimulator.Streams;

/// <summary>How market events become stream messages.</summary>
public sealed record StreamPublisherOptions
{
    /// <summary>Kline intervals served as <c>@kline_&lt;interval&gt;</c>; others can be subscribed to but stay silent (each costs work per trade).</summary>
    public IReadOnlyList<KlineInterval> KlineIntervals { get; init; } = [KlineInterval.OneMinute, KlineInterval.FifteenMinutes];

    /// <summary>
    /// How often an open kline that changed is pushed. Binance: 2000 ms on Spot (1000 ms for <c>1s</c>),
    /// 250 ms on USD-M futures. Null picks the flavor's.
    /// </summary>
    public TimeSpan? KlinePushPeriod { get; init; }

    /// <summary>
    /// How long after an interval ends its final kline (<c>x: true</c>) is pushed: at least the longest delay
    /// between a trade's <c>T</c> and <c>E</c>, so the final kline holds every trade of the interval.
    /// </summary>
    public TimeSpan KlineCloseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Period of the diffs the source produces (the market's 100 ms); slower depth streams merge them.</summary>
    public int SourceDepthPeriodMs { get; init; } = 100;

    internal long KlinePushPeriodUs(MarketFlavor flavor) =>
        (long)(KlinePushPeriod ?? TimeSpan.FromMilliseconds(flavor == MarketFlavor.UsdmFutures ? 250 : 2000)).TotalMicroseconds;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(KlineIntervals);
        ArgumentOutOfRangeException.ThrowIfLessThan(KlineCloseDelay, TimeSpan.Zero, nameof(KlineCloseDelay));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(SourceDepthPeriodMs, nameof(SourceDepthPeriodMs));
        if (KlinePushPeriod is { } push)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(push, TimeSpan.FromMilliseconds(1), nameof(KlinePushPeriod));
        }
    }
}
