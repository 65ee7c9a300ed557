namespace ExchangeSimulator.Market;

/// <summary>A kline interval aligned to UTC epoch multiples of its length, like Binance's (<c>1m</c>, <c>15m</c>, …).</summary>
/// <param name="Name">As in stream names and <c>"i"</c>: <c>1m</c>, <c>15m</c>.</param>
/// <param name="LengthUs">Length in microseconds.</param>
public readonly record struct KlineInterval(string Name, long LengthUs)
{
    public static KlineInterval OneMinute { get; } = new("1m", SimulatedTime.MicrosecondsPerMinute);

    public static KlineInterval FiveMinutes { get; } = new("5m", 5 * SimulatedTime.MicrosecondsPerMinute);

    public static KlineInterval FifteenMinutes { get; } = new("15m", 15 * SimulatedTime.MicrosecondsPerMinute);

    public static KlineInterval OneHour { get; } = new("1h", 60 * SimulatedTime.MicrosecondsPerMinute);

    /// <summary>Start of the interval holding <paramref name="timeUs"/>.</summary>
    public long StartOf(long timeUs) => timeUs - (timeUs % LengthUs);
}
