using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Streaming.Testing;

namespace TakerVolume.Tests.Crash;

/// <summary>One place a processor instance runs: its instance id and its state directory, kept across restarts.</summary>
internal sealed class ProcessorSlot(string name, string stateDirectory)
{
    public string Name { get; } = name;

    public string StateDirectory { get; } = stateDirectory;

    public ChildProcess? Process { get; set; }

    public ParentDeathGuard? Guard { get; set; }

    public int Starts { get; set; }

    /// <summary>The state directory was wiped before the current process started.</summary>
    public bool StartedWiped { get; set; }

    /// <summary>Raw trade partitions the current process owns, as its log says (assigned, revoked, lost).</summary>
    public HashSet<int> Owned { get; } = [];

    public int LogRead { get; set; }

    public bool Running => Process is { HasExited: false };
}

/// <summary>
/// Up to <see cref="MaxInstances"/> instances of the taker-volume processor (services/TakerVolume, its built program)
/// as child processes against the test's embedded broker: started, killed with SIGKILL, stopped with SIGTERM, their
/// state directories wiped. Every process's log is archived when it ends, for the figures and for a failure's diagnosis.
/// </summary>
internal sealed partial class ProcessorFleet : IAsyncDisposable
{
    public const int MaxInstances = 3;
    private const string Project = "TakerVolume";
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(40);

    private readonly string _root;
    private readonly string[] _arguments;
    private readonly Action<string> _log;
    private readonly List<ProcessorSlot> _slots = [];
    private readonly List<ArchivedRun> _runs = [];

    public ProcessorFleet(string root, Action<string> log, string[] arguments)
    {
        _root = root;
        _log = log;
        _arguments = arguments;
        LogDirectory = Path.Combine(root, "logs");
        Directory.CreateDirectory(LogDirectory);
        for (var i = 1; i <= MaxInstances; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"i{i}");
            _slots.Add(new ProcessorSlot(name, Path.Combine(root, "state", name)));
        }
    }

    public IReadOnlyList<ProcessorSlot> Slots => _slots;

    public IEnumerable<ProcessorSlot> Running => _slots.Where(s => s.Running);

    public string LogDirectory { get; }

    /// <summary>Every process that has ended, with its log.</summary>
    public IReadOnlyList<ArchivedRun> Runs => _runs;

    public int Kills { get; private set; }

    public int Wipes { get; private set; }

    public int GracefulStops { get; private set; }

    public int StopsTimedOut { get; private set; }

    /// <summary>The longest graceful stop (SIGTERM to exit).</summary>
    public TimeSpan LongestStop { get; private set; }

    public int UnexpectedExits { get; private set; }

    public int MaxRunning { get; private set; }

    public void Start(ProcessorSlot slot)
    {
        if (slot.Running)
        {
            throw new InvalidOperationException($"{slot.Name} is running already");
        }

        slot.Process = ChildProcess.Start(Project, _root, [.. _arguments, "--Processing:InstanceId=" + slot.Name, "--Processing:StateDirectory=" + slot.StateDirectory]);
        slot.Guard = ParentDeathGuard.Watch(slot.Process.Id);
        slot.Starts++;
        slot.Owned.Clear();
        slot.LogRead = 0;
        MaxRunning = Math.Max(MaxRunning, Running.Count());
        _log(string.Create(CultureInfo.InvariantCulture, $"start {slot.Name} (pid {slot.Process.Id}{(slot.StartedWiped ? ", state directory wiped" : "")})"));
    }

    /// <summary>kill -9, wherever the process is (processing, committing, restoring, rebalancing).</summary>
    public async Task KillAsync(ProcessorSlot slot)
    {
        var process = slot.Process ?? throw new InvalidOperationException($"{slot.Name} has no process");
        await process.SignalAsync("KILL");
        await process.WaitForExitAsync(ExitTimeout);
        Kills++;
        _log($"kill -9 {slot.Name}");
        await ArchiveAsync(slot, "killed");
    }

    /// <summary>SIGTERM: the clean stop (last commit, snapshots, leave the group); kill -9 if it does not come in time.</summary>
    public async Task StopAsync(ProcessorSlot slot, string why)
    {
        var process = slot.Process ?? throw new InvalidOperationException($"{slot.Name} has no process");

        // Before its handlers are installed, SIGTERM ends a .NET process like a kill: let it start first.
        await Eventually.TrueAsync(() => process.HasExited || process.Output.Contains("\"eventName\":\"StreamThreadStarted\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), $"{slot.Name} started");
        await process.SignalAsync("TERM");
        var stopping = Stopwatch.StartNew();
        try
        {
            var code = await process.WaitForExitAsync(ExitTimeout);
            if (code != 0)
            {
                _log(string.Create(CultureInfo.InvariantCulture, $"{slot.Name} stopped with exit code {code}"));
            }
        }
        catch (TimeoutException)
        {
            StopsTimedOut++;
            _log($"{slot.Name} did not stop within {ExitTimeout.TotalSeconds:0} s; killing it");
            await process.SignalAsync("KILL");
            await process.WaitForExitAsync(ExitTimeout);
        }

        GracefulStops++;
        LongestStop = stopping.Elapsed > LongestStop ? stopping.Elapsed : LongestStop;
        await ArchiveAsync(slot, why);
    }

    /// <summary>Deletes the slot's state directory (snapshots): its next start restores from the changelogs alone.</summary>
    public void Wipe(ProcessorSlot slot)
    {
        if (slot.Running)
        {
            throw new InvalidOperationException($"{slot.Name} is running: its state directory is in use");
        }

        if (Directory.Exists(slot.StateDirectory))
        {
            Directory.Delete(slot.StateDirectory, recursive: true);
        }

        Wipes++;
        slot.StartedWiped = true;
    }

    /// <summary>Processes that ended without the test ending them: counted, their last lines logged, restarted.</summary>
    public async Task ReapAndRestartAsync()
    {
        foreach (var slot in _slots.Where(s => s.Process is { HasExited: true }).ToList())
        {
            UnexpectedExits++;
            var lines = slot.Process!.Output.Split('\n');
            _log(string.Create(CultureInfo.InvariantCulture, $"{slot.Name} exited by itself with code {slot.Process.ExitCode}; last lines:\n{string.Join('\n', lines.TakeLast(10))}"));
            await ArchiveAsync(slot, "exited");
            Start(slot);
        }
    }

    public async Task StopAllAsync() => await Task.WhenAll(_slots.Where(s => s.Running).ToList().Select(s => StopAsync(s, "final-stop")));

    /// <summary>The raw trade partitions the slot's process owns now, read from the new lines of its log.</summary>
    public static HashSet<int> Owned(ProcessorSlot slot)
    {
        var output = slot.Process?.Output ?? string.Empty;
        var end = output.LastIndexOf('\n');
        if (end <= slot.LogRead)
        {
            return slot.Owned;
        }

        foreach (Match match in Ownership().Matches(output[slot.LogRead..end]))
        {
            var partitions = Partition().Matches(match.Groups[2].Value).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            if (match.Groups[1].Value == "Assigned")
            {
                slot.Owned.UnionWith(partitions);
            }
            else
            {
                slot.Owned.ExceptWith(partitions);
            }
        }

        slot.LogRead = end;
        return slot.Owned;
    }

    /// <summary>Whether the slot's process owns partitions and has restored all their tasks (it is processing, committing, snapshotting).</summary>
    public static bool Working(ProcessorSlot slot)
    {
        var owned = Owned(slot);
        return slot.Running && owned.Count > 0
            && owned.IsSubsetOf(Restored().Matches(slot.Process!.Output).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));
    }

    /// <summary>Kills whatever still runs (a test that failed on the way), keeping its log.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var slot in _slots)
        {
            if (slot.Process is { } process)
            {
                await process.DisposeAsync();
                var file = Path.Combine(LogDirectory, string.Create(CultureInfo.InvariantCulture, $"{slot.Name}-{slot.Starts:D2}-disposed.log"));
                await File.WriteAllTextAsync(file, process.Output);
                slot.Process = null;
            }

            if (slot.Guard is { } guard)
            {
                await guard.DisposeAsync();
                slot.Guard = null;
            }
        }
    }

    private async Task ArchiveAsync(ProcessorSlot slot, string why)
    {
        var process = slot.Process!;
        var output = process.Output;
        var file = Path.Combine(LogDirectory, string.Create(CultureInfo.InvariantCulture, $"{slot.Name}-{slot.Starts:D2}-{why}.log"));
        await File.WriteAllTextAsync(file, output);
        lock (_runs)
        {
            // Final stops run in parallel.
            _runs.Add(new ArchivedRun(slot.Name, slot.Starts, why, slot.StartedWiped, output));
        }

        await process.DisposeAsync();
        slot.Process = null;
        slot.StartedWiped = false;
        if (slot.Guard is { } guard)
        {
            await guard.DisposeAsync();
            slot.Guard = null;
        }
    }

    [GeneratedRegex("\"message\":\"(Assigned|Revoked|Lost[^:]*): \\[([^\"]*)\"")]
    private static partial Regex Ownership();

    [GeneratedRegex("\"message\":\"Task 0_(\\d+) restored in ")]
    private static partial Regex Restored();

    [GeneratedRegex("\\[\\[(\\d+)\\]\\]")]
    private static partial Regex Partition();
}

/// <summary>A process that has ended: which slot, which start, why it ended, whether its state was wiped before, its log.</summary>
internal sealed record ArchivedRun(string Slot, int Start, string Why, bool Wiped, string Log);

/// <summary>
/// Kills a child process when the test process dies first (the embedded broker it hosts can abort it), so no
/// instance outlives the test and keeps one of the machine's two cores busy reconnecting forever. A shell loop checks
/// both processes every second and ends with the child.
/// </summary>
internal sealed class ParentDeathGuard : IAsyncDisposable
{
    private readonly Process _watcher;

    private ParentDeathGuard(Process watcher)
    {
        _watcher = watcher;
    }

    public static ParentDeathGuard Watch(int childPid)
    {
        var parent = Environment.ProcessId;
        var script = string.Create(CultureInfo.InvariantCulture,
            $"while kill -0 {parent} 2>/dev/null && kill -0 {childPid} 2>/dev/null; do sleep 1; done; kill -0 {parent} 2>/dev/null || kill -9 {childPid} 2>/dev/null; true");
        var start = new ProcessStartInfo("sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        return new ParentDeathGuard(Process.Start(start) ?? throw new InvalidOperationException("sh did not start"));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_watcher.HasExited)
        {
            _watcher.Kill();
        }

        await _watcher.WaitForExitAsync();
        _watcher.Dispose();
    }
}
