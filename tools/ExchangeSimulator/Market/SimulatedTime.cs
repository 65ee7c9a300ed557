namespace ExchangeSimulator.Market;

/// <summary>
/// The simulator's clock unit: microseconds since the Unix epoch (UTC) as <see cref="long"/>, never before
/// the epoch. Microseconds
/// because Spot can print them (<c>timeUnit=MICROSECOND</c>) and several trades share a millisecond.
/// </summary>
public static class SimulatedTime
{
    public const long MicrosecondsPerMillisecond = 1_000;
    public const long MicrosecondsPerSecond = 1_000_000;
    public const long MicrosecondsPerMinute = 60 * MicrosecondsPerSecond;

    /// <summary>Microseconds since the epoch of <paramref name="time"/> (sub-microsecond ticks truncated).</summary>
    public static long ToMicroseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    public static DateTimeOffset FromMicroseconds(long microseconds) =>
        DateTimeOffset.UnixEpoch.AddTicks(microseconds * TimeSpan.TicksPerMicrosecond);

    /// <summary>Milliseconds since the epoch, rounded down, as Binance prints times by default.</summary>
    public static long ToMilliseconds(long microseconds) => microseconds / MicrosecondsPerMillisecond;
}
