namespace Streaming.Benchmarking;

/// <summary>Other processes on a shared machine take cores from a run: the load average says how much.</summary>
public static class MachineLoad
{
    /// <summary>The 1, 5 and 15 minute load averages (<c>/proc/loadavg</c>), or "n/a".</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
