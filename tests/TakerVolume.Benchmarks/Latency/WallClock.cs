using System.Diagnostics;

namespace TakerVolume.Benchmarks.Latency;

/// <summary>
/// Wall-clock microseconds since the Unix epoch that never go backwards: the system clock read once
/// (<see cref="TimeProvider.System"/>), then advanced by <see cref="Stopwatch"/>. Trade times are stamped and
/// visibility is observed with it, in one process, so a latency is a difference of two readings of one monotonic clock.
/// </summary>
internal static class WallClock
{
    private static readonly long AnchorUs = (TimeProvider.System.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10;
    private static readonly long AnchorTimestamp = Stopwatch.GetTimestamp();

    public static long NowUs() => AnchorUs + (Stopwatch.GetElapsedTime(AnchorTimestamp).Ticks / 10);
}
