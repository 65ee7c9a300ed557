namespace Ingest;

/// <summary>Wall-clock times as the contracts carry them: UTC microseconds since the Unix epoch.</summary>
internal static class UnixTime
{
    public static long NowMicroseconds(this TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
    }
}
