using System.Diagnostics;

namespace Streaming.Benchmarking;

/// <summary>What the process had consumed at one instant: wall clock, CPU (all threads), allocations and GC.</summary>
public readonly record struct ProcessSnapshot(long Timestamp, TimeSpan Cpu, long AllocatedBytes, int Gen0, int Gen1, int Gen2, TimeSpan GcPause)
{
    public static ProcessSnapshot Take() => new(
        Stopwatch.GetTimestamp(),
        Environment.CpuUsage.TotalTime,
        GC.GetTotalAllocatedBytes(precise: false),
        GC.CollectionCount(0),
        GC.CollectionCount(1),
        GC.CollectionCount(2),
        GC.GetTotalPauseDuration());
}

/// <summary>Messages (or events) and payload bytes counted over one measurement window.</summary>
/// <param name="Messages">Messages received by the clients (or events/messages produced, for in-process rows).</param>
/// <param name="Bytes">WebSocket message payload bytes (0 when nothing is serialized).</param>
/// <param name="Start">The process at the start of the window.</param>
/// <param name="End">The process at its end.</param>
public sealed record Measurement(long Messages, long Bytes, ProcessSnapshot Start, ProcessSnapshot End)
{
    /// <summary>CPU time of the one thread that did the work (in-process rows), when measured.</summary>
    public TimeSpan? ThreadCpu { get; init; }

    /// <summary>CPU nanoseconds of that thread per message: what the work costs without the other processes of a shared machine.</summary>
    public double ThreadCpuNanosecondsPerMessage => ThreadCpu is { } cpu && cpu > TimeSpan.Zero && Messages > 0 ? cpu.TotalNanoseconds / Messages : double.NaN;

    public double Seconds => Stopwatch.GetElapsedTime(Start.Timestamp, End.Timestamp).TotalSeconds;

    public double MessagesPerSecond => Messages / Seconds;

    /// <summary>Payload megabytes (10^6 bytes) per second.</summary>
    public double MegabytesPerSecond => Bytes / Seconds / 1e6;

    public double AverageMessageBytes => Messages == 0 ? 0 : Bytes / (double)Messages;

    /// <summary>Wall-clock nanoseconds per message: the inverse of the rate.</summary>
    public double NanosecondsPerMessage => Messages == 0 ? double.NaN : Seconds * 1e9 / Messages;

    /// <summary>CPU time of the whole process (every thread: producer, server, clients) per message.</summary>
    public double CpuMicrosecondsPerMessage => Messages == 0 ? double.NaN : (End.Cpu - Start.Cpu).TotalMicroseconds / Messages;

    /// <summary>Share of all cores the process used during the window.</summary>
    public double CpuUtilization => (End.Cpu - Start.Cpu).TotalSeconds / (Seconds * Environment.ProcessorCount);

    public double AllocatedBytesPerMessage => Messages == 0 ? double.NaN : (End.AllocatedBytes - Start.AllocatedBytes) / (double)Messages;

    public int Gen0Collections => End.Gen0 - Start.Gen0;

    public int Gen1Collections => End.Gen1 - Start.Gen1;

    public int Gen2Collections => End.Gen2 - Start.Gen2;

    /// <summary>Share of the window the GC had threads paused.</summary>
    public double GcPauseShare => (End.GcPause - Start.GcPause).TotalSeconds / Seconds;
}
