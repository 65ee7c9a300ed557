using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Streaming.Processing.Runtime;

namespace Streaming.Processing.CountingApp;

/// <summary>
/// Crash-test hook (section <c>Chaos</c>), exactly between two steps of a commit:
/// <list type="bullet">
/// <item>the <c>KillAfterCommits</c>-th time a commit reaches <c>KillAtCommitPhase</c> (OutputsFlushed,
/// ChangelogFlushed or OffsetsCommitted), the process kills itself with SIGKILL;</item>
/// <item>the <c>PauseAfterCommits</c>-th time a commit reaches <c>PauseAtCommitPhase</c>, the process stops itself
/// with SIGSTOP (a zombie in the making: the test sends SIGCONT once the group gave its tasks to others, and the
/// commit goes on from there).</item>
/// </list>
/// Before either it writes what it does to <c>KillMarkerFile</c> (when set), so the test can tell it from any other event.
/// </summary>
internal sealed class KillingCommitProbe(string action, CommitPhase target, int afterCommits, string? markerFile) : ICommitProbe
{
    private int _reached;

    /// <summary>Registers the probe when <c>Chaos:KillAtCommitPhase</c> or <c>Chaos:PauseAtCommitPhase</c> is set; returns whether it did.</summary>
    public static bool Register(IServiceCollection services, IConfiguration configuration)
    {
        var chaos = configuration.GetSection("Chaos");
        var action = !string.IsNullOrWhiteSpace(chaos["KillAtCommitPhase"]) ? "Kill"
            : !string.IsNullOrWhiteSpace(chaos["PauseAtCommitPhase"]) ? "Pause"
            : null;
        if (action is null)
        {
            return false;
        }

        var phase = Enum.Parse<CommitPhase>(chaos[action + "AtCommitPhase"]!, ignoreCase: true);
        var after = int.Parse(chaos[action + "AfterCommits"] ?? "1", CultureInfo.InvariantCulture);
        if (after < 1)
        {
            throw new InvalidOperationException($"Chaos:{action}AfterCommits must be at least 1, not {after}.");
        }

        services.AddSingleton<ICommitProbe>(new KillingCommitProbe(action, phase, after, chaos["KillMarkerFile"]));
        return true;
    }

    public void Reached(CommitPhase phase)
    {
        if (phase != target || Interlocked.Increment(ref _reached) != afterCommits)
        {
            return;
        }

        if (markerFile is not null)
        {
            File.WriteAllText(markerFile, string.Create(CultureInfo.InvariantCulture, $"{target} {afterCommits} {action}"));
        }

        using var self = Process.GetCurrentProcess();
        if (action == "Pause")
        {
            // SIGSTOP stops every thread; this one waits for the signal to land, and goes on with the commit on SIGCONT.
            using var stop = Process.Start("kill", ["-STOP", self.Id.ToString(CultureInfo.InvariantCulture)]);
            stop.WaitForExit();
            return;
        }

        self.Kill(); // SIGKILL on Linux: no shutdown hook, no flush, no finally block runs.

        // The signal is asynchronous for the other threads: never let this one go on to the next commit step.
        using var never = new ManualResetEventSlim(false);
        never.Wait();
    }
}
