using System.Globalization;
using System.Text.RegularExpressions;

namespace Streaming.Benchmarking;

/// <summary>One thread of this process at one instant: its name (<c>comm</c>, 15 characters) and CPU time so far.</summary>
public readonly record struct ThreadSample(string Name, long CpuNanoseconds);

/// <summary>
/// CPU time of every thread of this process (Linux <c>/proc/self/task/*/schedstat</c>, nanoseconds), native ones
/// included: librdkafka's threads (the clients' and the mock cluster's) run no managed code, so only the
/// kernel's per-thread accounting sees them. Empty elsewhere.
/// </summary>
public static partial class ThreadUsage
{
    public static IReadOnlyDictionary<int, ThreadSample> Snapshot()
    {
        var threads = new Dictionary<int, ThreadSample>();
        if (!OperatingSystem.IsLinux())
        {
            return threads;
        }

        foreach (var directory in Directory.EnumerateDirectories("/proc/self/task"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var tid))
            {
                continue;
            }

            try
            {
                var name = File.ReadAllText(Path.Combine(directory, "comm")).TrimEnd('\n');
                var schedstat = File.ReadAllText(Path.Combine(directory, "schedstat"));
                var end = schedstat.IndexOf(' ', StringComparison.Ordinal);
                if (end > 0 && long.TryParse(schedstat.AsSpan(0, end), NumberStyles.None, CultureInfo.InvariantCulture, out var nanoseconds))
                {
                    threads[tid] = new ThreadSample(name, nanoseconds);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The thread ended meanwhile.
            }
        }

        return threads;
    }

    /// <summary>Threads of <paramref name="after"/> absent from <paramref name="before"/>: those something started in between.</summary>
    public static HashSet<int> Started(IReadOnlyDictionary<int, ThreadSample> before, IReadOnlyDictionary<int, ThreadSample> after) =>
        [.. after.Keys.Where(tid => !before.ContainsKey(tid))];

    /// <summary>
    /// CPU nanoseconds per group over a window; a thread started during the window counts from zero, one that ended is
    /// lost (the difference to the process total shows it).
    /// </summary>
    public static Dictionary<string, long> Between(
        IReadOnlyDictionary<int, ThreadSample> start, IReadOnlyDictionary<int, ThreadSample> end, Func<int, string, string> group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var groups = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (tid, sample) in end)
        {
            var before = start.TryGetValue(tid, out var s) ? s.CpuNanoseconds : 0;
            var key = group(tid, sample.Name);
            groups[key] = groups.GetValueOrDefault(key) + (sample.CpuNanoseconds - before);
        }

        return groups;
    }

    /// <summary>A thread name without its numbers: <c>rdk:broker2</c> and <c>rdk:broker3</c> are one group.</summary>
    public static string Family(string name) => Digits().Replace(name, "N");

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();
}

/// <summary>The kernel's id of the calling thread (what <c>/proc/self/task</c> lists); 0 where unknown.</summary>
public static class OsThread
{
    public static int CurrentId()
    {
        try
        {
            // /proc/thread-self links to "<pid>/task/<tid>".
            var target = new FileInfo("/proc/thread-self").LinkTarget;
            return target is not null && int.TryParse(target.AsSpan(target.LastIndexOf('/') + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var tid) ? tid : 0;
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
