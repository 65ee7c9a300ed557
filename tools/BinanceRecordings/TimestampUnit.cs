namespace BinanceRecordings;

/// <summary>The unit of the epoch timestamps in a data.binance.vision CSV file.</summary>
public enum TimestampUnit
{
    /// <summary>Decide per value by magnitude (see <see cref="TimestampUnits.Detect"/>).</summary>
    Detect = 0,

    /// <summary>Milliseconds since the epoch (spot files before 2025-01-01, all futures files).</summary>
    Milliseconds,

    /// <summary>Microseconds since the epoch (spot files since 2025-01-01).</summary>
    Microseconds,
}

/// <summary>Conversions between the timestamp units of the recordings.</summary>
public static class TimestampUnits
{
    /// <summary>
    /// Epoch values at or above this are microseconds: 1e14 ms is the year 5138, 1e14 µs is March 1973,
    /// before any exchange data, so the two ranges cannot overlap for real market data.
    /// </summary>
    public const long MicrosecondThreshold = 100_000_000_000_000;

    /// <summary>The unit of <paramref name="epochValue"/> judged by its magnitude.</summary>
    public static TimestampUnit Detect(long epochValue) =>
        epochValue >= MicrosecondThreshold ? TimestampUnit.Microseconds : TimestampUnit.Milliseconds;

    /// <summary><paramref name="epochValue"/> in microseconds; <paramref name="unit"/> Detect decides by magnitude.</summary>
    /// <param name="epochValue">The timestamp as written.</param>
    /// <param name="unit">The unit it is written in, or Detect.</param>
    /// <param name="resolvedUnit">The unit used (never Detect).</param>
    public static long ToMicroseconds(long epochValue, TimestampUnit unit, out TimestampUnit resolvedUnit)
    {
        resolvedUnit = unit == TimestampUnit.Detect ? Detect(epochValue) : unit;
        return resolvedUnit == TimestampUnit.Microseconds ? epochValue : checked(epochValue * 1000);
    }
}
