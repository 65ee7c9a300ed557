using System.Globalization;
using Streaming.Processing.Runtime;

namespace Streaming.Processing.Tests.Chaos;

/// <summary>What a chaos run did, counted as it happened, so the figures can be quoted (and asserted).</summary>
internal sealed class ChaosFigures
{
    public int Seed { get; init; }

    public long RecordsProduced { get; set; }

    public long WorkloadRepeats { get; set; }

    public long Distinct { get; set; }

    public int DuplicateSlices { get; set; }

    public long DuplicateSliceRecords { get; set; }

    /// <summary>Distinct input records the producer saw acknowledged that the embedded broker does not hold.</summary>
    public long InputLostByBroker { get; set; }

    public int ExternalKills { get; set; }

    public Dictionary<CommitPhase, int> CommitPathKills { get; } = new()
    {
        [CommitPhase.OutputsFlushed] = 0,
        [CommitPhase.ChangelogFlushed] = 0,
        [CommitPhase.OffsetsCommitted] = 0,
    };

    public int CommitPathKillsArmed { get; set; }

    public int UnexpectedExits { get; set; }

    public int GracefulRestarts { get; set; }

    public int GracefulStopsTimedOut { get; set; }

    public int InstancesAdded { get; set; }

    public int InstancesRemoved { get; set; }

    public int StateDirectoriesWiped { get; set; }

    public int ProcessStarts { get; set; }

    public int Zombies { get; set; }

    public int ZombieTakeoversObserved { get; set; }

    public List<string> ZombieKinds { get; } = [];

    public int BrokerDownUps { get; set; }

    public int BrokerFailovers { get; set; }

    public int LeaderMoves { get; set; }

    public int CoordinatorMoves { get; set; }

    public int SlowBrokers { get; set; }

    public Dictionary<string, int> RequestErrors { get; } = new(StringComparer.Ordinal);

    public int MaxInstances { get; set; }

    public long OutputRecords { get; set; }

    public long OutputRepeatsDropped { get; set; }

    public long OutputStaleDropped { get; set; }

    public long ChangelogRecords { get; set; }

    public long ChangelogStaleIgnored { get; set; }

    public Dictionary<string, long> RuntimeEvents { get; } = new(StringComparer.Ordinal);

    public List<string> Watermarks { get; } = [];

    public TimeSpan ChaosTime { get; set; }

    public TimeSpan ConvergenceTime { get; set; }

    public TimeSpan WallTime { get; set; }

    public int Kills => ExternalKills + CommitPathKills.Values.Sum();

    public int BrokerFaults => BrokerDownUps + LeaderMoves + CoordinatorMoves + RequestErrors.Values.Sum() + SlowBrokers;

    public void RequestError(string what) => RequestErrors[what] = RequestErrors.GetValueOrDefault(what) + 1;

    public IEnumerable<string> Lines()
    {
        var c = CultureInfo.InvariantCulture;
        yield return string.Create(c, $"seed                         {Seed}");
        yield return string.Create(c, $"records produced             {RecordsProduced} ({Distinct} distinct ids, {WorkloadRepeats} repeats in the workload, {DuplicateSliceRecords} more in {DuplicateSlices} earlier slices re-produced at the broker)");
        yield return string.Create(c, $"input lost by the broker     {InputLostByBroker} distinct records acknowledged to the producer but not in the topic (the oracle is that of the input held)");
        yield return string.Create(c, $"kill -9                      {Kills}: {ExternalKills} external at random points, {CommitPathKills.Values.Sum()} inside the commit path ({string.Join(", ", CommitPathKills.Select(k => $"{k.Key} {k.Value}"))}; {CommitPathKillsArmed} armed)");
        yield return string.Create(c, $"other exits                  {UnexpectedExits} unexpected (not caused by the test), {GracefulStopsTimedOut} graceful stops that timed out (then killed)");
        yield return string.Create(c, $"graceful restarts            {GracefulRestarts}");
        yield return string.Create(c, $"instances                    {InstancesAdded} added, {InstancesRemoved} removed (graceful), at most {MaxInstances} at once; {ProcessStarts} process starts, {StateDirectoriesWiped} state directories wiped");
        yield return string.Create(c, $"zombies (SIGSTOP > session)  {Zombies} ({ZombieTakeoversObserved} with the takeover observed before SIGCONT; {string.Join(", ", ZombieKinds)})");
        yield return string.Create(c, $"broker faults                {BrokerFaults}: {BrokerDownUps} broker down/up ({BrokerFailovers} with leaders and coordinator moved first), {LeaderMoves} leader moves, {CoordinatorMoves} coordinator moves, {SlowBrokers} slow brokers, request errors: {string.Join(", ", RequestErrors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} {e.Value}"))}");
        yield return string.Create(c, $"outputs read                 {OutputRecords} ({OutputRepeatsDropped} repeats dropped, {OutputStaleDropped} stale zombie records dropped)");
        yield return string.Create(c, $"changelog read               {ChangelogRecords} ({ChangelogStaleIgnored} stale writes ignored by the owner-epoch rule)");
        yield return string.Create(c, $"runtime events (child logs)  {string.Join(", ", RuntimeEvents.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} {e.Value}"))}");
        foreach (var watermark in Watermarks)
        {
            yield return "broker retains               " + watermark;
        }

        yield return string.Create(c, $"wall time                    {WallTime.TotalSeconds:0.0} s (chaos {ChaosTime.TotalSeconds:0.0} s, convergence after it {ConvergenceTime.TotalSeconds:0.0} s)");
    }
}
