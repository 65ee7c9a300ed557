using System.Globalization;
using System.Text.RegularExpressions;
using Streaming.Processing.Runtime;
using Streaming.Testing;

namespace Streaming.Processing.Tests.Chaos;

/// <summary>One place an instance of the counting application runs: its own state directory, reused across restarts.</summary>
internal sealed class CountingSlot(string name, string stateDirectory, string markerFile)
{
    public string Name { get; } = name;

    public string StateDirectory { get; } = stateDirectory;

    /// <summary>Written by the application's commit probe just before it kills or stops itself.</summary>
    public string MarkerFile { get; } = markerFile;

    public ChildProcess? Process { get; set; }

    /// <summary>The commit step this process was started to die (or stop itself) at, if any.</summary>
    public CommitPhase? Armed { get; set; }

    /// <summary>SIGSTOP'd by the test (a zombie in the making).</summary>
    public bool Frozen { get; set; }

    public int Starts { get; set; }

    /// <summary>Input partitions this process owns, as its own log says (assigned, revoked, lost).</summary>
    public HashSet<int> Owned { get; } = [];

    /// <summary>How far <see cref="Owned"/> has read the log.</summary>
    public int LogRead { get; set; }

    public bool Running => Process is { HasExited: false };

    public bool Live => Running && !Frozen;
}

/// <summary>
/// Up to <see cref="MaxInstances"/> instances of the counting application as child processes against the test's embedded
/// broker. Keeps every process's log (archived when it exits) for the figures and for diagnosing a failure.
/// </summary>
internal sealed partial class CountingFleet : IAsyncDisposable
{
    public const int MaxInstances = 4;
    private const string Project = "Streaming.Processing.CountingApp";
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(40);

    private readonly string[] _arguments;
    private readonly string _root;
    private readonly string _logDirectory;
    private readonly ChaosFigures _figures;
    private readonly Action<string> _log;
    private readonly List<CountingSlot> _slots = [];
    private int _stopsTimedOut;

    public CountingFleet(string root, ChaosFigures figures, Action<string> log, string[] arguments)
    {
        _root = root;
        _figures = figures;
        _log = log;
        _arguments = arguments;
        _logDirectory = Path.Combine(root, "logs");
        Directory.CreateDirectory(_logDirectory);
        for (var i = 1; i <= MaxInstances; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"i{i}");
            _slots.Add(new CountingSlot(name, Path.Combine(root, "state", name), Path.Combine(root, name + ".commit-kill")));
        }
    }

    public IReadOnlyList<CountingSlot> Slots => _slots;

    public IEnumerable<CountingSlot> Live => _slots.Where(s => s.Live);

    public int RunningCount => _slots.Count(s => s.Running);

    public string LogDirectory => _logDirectory;

    /// <summary>Graceful stops that did not end within the timeout (the process was then killed).</summary>
    public int StopsTimedOut => Volatile.Read(ref _stopsTimedOut);

    /// <summary>
    /// Starts the slot's process; with <paramref name="killAt"/> it kills itself at that commit step of its
    /// <paramref name="afterCommits"/>-th commit, with <paramref name="pauseAt"/> it stops itself (SIGSTOP) there.
    /// </summary>
    public void Start(CountingSlot slot, CommitPhase? killAt = null, int afterCommits = 0, CommitPhase? pauseAt = null)
    {
        if (slot.Running)
        {
            throw new InvalidOperationException($"{slot.Name} is running already");
        }

        File.Delete(slot.MarkerFile);
        List<string> arguments =
        [
            .. _arguments,
            "--Processing:InstanceId=" + slot.Name,
            "--Processing:StateDirectory=" + slot.StateDirectory,
        ];
        if (killAt is { } phase)
        {
            arguments.Add("--Chaos:KillAtCommitPhase=" + phase);
            arguments.Add(string.Create(CultureInfo.InvariantCulture, $"--Chaos:KillAfterCommits={afterCommits}"));
            arguments.Add("--Chaos:KillMarkerFile=" + slot.MarkerFile);
            _figures.CommitPathKillsArmed++;
        }
        else if (pauseAt is { } pause)
        {
            arguments.Add("--Chaos:PauseAtCommitPhase=" + pause);
            arguments.Add(string.Create(CultureInfo.InvariantCulture, $"--Chaos:PauseAfterCommits={afterCommits}"));
            arguments.Add("--Chaos:KillMarkerFile=" + slot.MarkerFile);
        }

        slot.Process = ChildProcess.Start(Project, _root, [.. arguments]);
        slot.Owned.Clear();
        slot.LogRead = 0;
        slot.Armed = killAt ?? pauseAt;
        slot.Frozen = false;
        slot.Starts++;
        _figures.ProcessStarts++;
        _figures.MaxInstances = Math.Max(_figures.MaxInstances, RunningCount);
        _log(string.Create(CultureInfo.InvariantCulture, $"start {slot.Name} (pid {slot.Process.Id}{(killAt is null ? "" : $", dies at commit #{afterCommits} {killAt}")}{(pauseAt is null ? "" : $", stops itself at commit #{afterCommits} {pauseAt}")})"));
    }

    /// <summary>kill -9 from outside, at whatever point the process is.</summary>
    public async Task KillAsync(CountingSlot slot)
    {
        var process = slot.Process ?? throw new InvalidOperationException($"{slot.Name} has no process");
        await process.SignalAsync("KILL");
        await process.WaitForExitAsync(ExitTimeout);
        await ArchiveAsync(slot, "killed");
    }

    /// <summary>
    /// SIGTERM and wait for the clean stop (commit, snapshots, leave the group); kill -9 if it does not come. A process
    /// still starting is first given the time to install its handlers (before, SIGTERM just ends it like a kill).
    /// </summary>
    public async Task StopAsync(CountingSlot slot, string why)
    {
        var process = slot.Process ?? throw new InvalidOperationException($"{slot.Name} has no process");
        if (slot.Frozen)
        {
            await process.SignalAsync("CONT");
            slot.Frozen = false;
        }

        try
        {
            await Eventually.TrueAsync(() => process.HasExited || process.Output.Contains("\"eventName\":\"StreamThreadStarted\"", StringComparison.Ordinal),
                TimeSpan.FromSeconds(30), $"{slot.Name} started");
        }
        catch (TimeoutException e)
        {
            _log(e.Message);
        }

        await process.SignalAsync("TERM");
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
            Interlocked.Increment(ref _stopsTimedOut);
            _log($"{slot.Name} did not stop within {ExitTimeout.TotalSeconds:0} s; killing it");
            await process.SignalAsync("KILL");
            await process.WaitForExitAsync(ExitTimeout);
        }

        await ArchiveAsync(slot, why);
    }

    public async Task FreezeAsync(CountingSlot slot)
    {
        await slot.Process!.SignalAsync("STOP");
        slot.Frozen = true;
        _log($"SIGSTOP {slot.Name}");
    }

    public async Task ThawAsync(CountingSlot slot)
    {
        File.Delete(slot.MarkerFile);
        slot.Armed = null;
        await slot.Process!.SignalAsync("CONT");
        slot.Frozen = false;
        _log($"SIGCONT {slot.Name}");
    }

    public void Wipe(CountingSlot slot)
    {
        if (slot.Running)
        {
            throw new InvalidOperationException($"{slot.Name} is running: its state directory is in use");
        }

        if (Directory.Exists(slot.StateDirectory))
        {
            Directory.Delete(slot.StateDirectory, recursive: true);
            _figures.StateDirectoriesWiped++;
        }
    }

    /// <summary>
    /// Processes that exited without the test stopping them: the commit probe's kills (recognised by their marker file)
    /// and anything else (counted as unexpected, its last log lines printed). Returns the slots, now without a process.
    /// </summary>
    public async Task<List<CountingSlot>> ReapAsync()
    {
        var reaped = new List<CountingSlot>();
        foreach (var slot in _slots)
        {
            if (slot.Process is not { HasExited: true } process)
            {
                continue;
            }

            var code = await process.WaitForExitAsync(ExitTimeout);
            if (File.Exists(slot.MarkerFile))
            {
                var text = await File.ReadAllTextAsync(slot.MarkerFile);
                var phase = Enum.Parse<CommitPhase>(text.Split(' ')[0]);
                _figures.CommitPathKills[phase]++;
                File.Delete(slot.MarkerFile);
                _log(string.Create(CultureInfo.InvariantCulture, $"{slot.Name} killed itself (SIGKILL, exit code {code}) at {text}"));
                await ArchiveAsync(slot, "commit-kill-" + phase);
            }
            else
            {
                _figures.UnexpectedExits++;
                var lines = process.Output.Split('\n');
                _log(string.Create(CultureInfo.InvariantCulture, $"{slot.Name} exited by itself with code {code}; last lines:\n{string.Join('\n', lines.TakeLast(15))}"));
                await ArchiveAsync(slot, "exited");
            }

            reaped.Add(slot);
        }

        return reaped;
    }

    /// <summary>The input partitions <paramref name="slot"/>'s process owns now, read from the new lines of its log.</summary>
    public static HashSet<int> Owned(CountingSlot slot)
    {
        var output = slot.Process?.Output ?? string.Empty;
        var end = output.LastIndexOf('\n');
        if (end < slot.LogRead)
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

    /// <summary>
    /// The tasks (partitions) <paramref name="slot"/>'s process restored and started running after character
    /// <paramref name="from"/> of its log: it owns them, and its owner marker is in their changelogs.
    /// </summary>
    public static HashSet<int> RestoredSince(CountingSlot slot, int from)
    {
        var output = slot.Process?.Output ?? string.Empty;
        return from >= output.Length
            ? []
            : [.. Restored().Matches(output[from..]).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];
    }

    public static int LogLength(CountingSlot slot) => slot.Process?.Output.Length ?? 0;

    /// <summary>Whether the slot's process stopped itself in the commit path (its marker written, its state 'T' in /proc).</summary>
    public static bool PausedItself(CountingSlot slot)
    {
        if (slot.Process is not { HasExited: false } process || !File.Exists(slot.MarkerFile))
        {
            return false;
        }

        try
        {
            // /proc/<pid>/stat: "pid (comm) S ...": the state letter follows the command's closing parenthesis.
            var stat = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{process.Id}/stat"));
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('T');
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Whether the process has run a task since it started (restored and processing, not only joining).</summary>
    public static bool Working(CountingSlot slot) =>
        slot.Live && Owned(slot).Count > 0 && slot.Process!.Output.Contains("\"eventName\":\"RestoreFinished\"", StringComparison.Ordinal);

    /// <summary>Stops every running instance cleanly, all at once (the end of a run).</summary>
    public async Task StopAllAsync() =>
        await Task.WhenAll(_slots.Where(s => s.Running).ToList().Select(s => StopAsync(s, "final-stop")));

    public async ValueTask DisposeAsync()
    {
        foreach (var slot in _slots)
        {
            if (slot.Process is { } process)
            {
                // SIGKILL ends stopped processes too; ChildProcess kills the whole tree and waits.
                await process.DisposeAsync();
                slot.Process = null;
            }
        }
    }

    private async Task ArchiveAsync(CountingSlot slot, string why)
    {
        var process = slot.Process!;
        var output = process.Output;
        lock (_figures)
        {
            // Final stops run in parallel.
            foreach (Match match in EventName().Matches(output))
            {
                var name = match.Groups[1].Value;
                _figures.RuntimeEvents[name] = _figures.RuntimeEvents.GetValueOrDefault(name) + 1;
            }
        }

        var file = Path.Combine(_logDirectory, string.Create(CultureInfo.InvariantCulture, $"{slot.Name}-{slot.Starts:D2}-{why}.log"));
        await File.WriteAllTextAsync(file, output);
        await process.DisposeAsync();
        slot.Process = null;
        slot.Armed = null;
        slot.Frozen = false;
    }

    [GeneratedRegex("\"message\":\"(Assigned|Revoked|Lost[^:]*): \\[([^\"]*)\"")]
    private static partial Regex Ownership();

    [GeneratedRegex("\"message\":\"Task 0_(\\d+) restored in ")]
    private static partial Regex Restored();

    [GeneratedRegex("\\[\\[(\\d+)\\]\\]")]
    private static partial Regex Partition();

    [GeneratedRegex("\"eventName\":\"(TaskMigrated|TasksCorrupted|TaskSuperseded|ReclaimDeferred|StaleChangelogRecord|RestoreFinished|PartitionsLost|StreamThreadFailed|ChangelogTruncated|SnapshotLoaded|SnapshotCorrupt|DeadLettered)\"")]
    private static partial Regex EventName();
}
