using System.Diagnostics;
using System.Globalization;
using Streaming.Contracts.Ops.V1;
using Streaming.Testing;

namespace TakerVolume.Tests.Crash;

/// <summary>The crash test runs alone: its timing (session timeouts, restarts) should not compete with other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CrashRunAlone
{
    public const string Name = "TakerVolume crash";
}

/// <summary>
/// Issue 7, requirement 8: durable state through the runtime (changelog + local snapshot) with exactly-once results.
/// The taker-volume processor runs as it ships (its built program, services/TakerVolume) in two to three child
/// processes sharing the partitions, against the embedded broker in this process. Real recorded trades, replicated
/// into ten symbols on eight partitions (<see cref="CrashWorkload"/>), arrive in slices while instances are killed
/// with SIGKILL in the middle of the window, restarted on their state directory (once on a wiped one, so it restores
/// from the changelogs alone), stopped and added; with copies of trades, an earlier slice replayed, and a held-back
/// block per symbol delivered afterwards as REST backfill (one more kill while it is processed). Then the exchange's
/// closed 15-minute klines; then a full stop and one instance alone taking every task back (its own from its
/// snapshots). At the end everything published, read as a downstream consumer reads it (read_committed, latest
/// value per key by epoch and revision), must equal an independent summation of the input (<see cref="OutputChecks"/>):
/// every figure of every tumbling window, each trailing window at the last stream time, a MATCH per reconciled
/// window, each trade normalized (repeats only as identical bytes), exactly the large trades alerted, feed gaps only
/// for the held-back ids and each open one later filled, no dead letter, nothing evicted by the broker. And the run
/// must have done what it claims: kills, a wipe, restores from snapshots and from the changelogs alone, an instance
/// added and one removed, three instances running tasks at once, no instance dying by itself.
/// </summary>
/// <remarks>
/// Klines: one closed kline per symbol for the recording's window, sent once the trades are all committed, with the
/// oracle's figures, so each window must reconcile as MATCH. The window is closed by one synthetic trade per symbol
/// at 00:15:30 (past end + grace), which is also where every trailing window ends.
/// Seeded schedule: <c>CRASH_SEED</c> (printed) replaces the default seed; <c>CRASH_TRACE</c> names a file that
/// receives the log as it happens; <c>CRASH_CHILD_ARGS</c> adds arguments to every instance. On failure (or with
/// <c>CRASH_KEEP_LOGS=1</c>) the processes' logs are kept and their directory printed.
/// </remarks>
[Collection(CrashRunAlone.Name)]
public sealed class CrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Slices = 8;
    private const int MinimumKills = 4;
    private const string GroupId = "taker-volume-spot";

    /// <summary>
    /// How soon a killed instance's partitions move. The embedded broker's group coordinator waits up to the session
    /// timeout less one second in each join phase, and a cooperative rebalance takes two: 3 s keeps a kill's stall
    /// near 5 s instead of 11 s with the chaos test's 6 s (heartbeats, every second, come from librdkafka's own thread).
    /// </summary>
    private static readonly TimeSpan SessionTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan PhaseTimeout = TimeSpan.FromSeconds(60);

    private readonly CatalogKafkaFixture _kafka = new();
    private readonly string _root = Directory.CreateTempSubdirectory("taker-volume-crash-").FullName;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private ProcessorFleet? _fleet;
    private CrashInput? _input;
    private TopicReader? _reader;
    private bool _keepLogs = true;

    private enum Chaos
    {
        None,
        Kill,
        KillAndWipe,
        AddInstance,
        RemoveInstance,
    }

    [Fact]
    public async Task KillNineMidWindow_RestartsWipesAndRebalances_OutputsEqualTheOracle()
    {
        var seed = int.Parse(Environment.GetEnvironmentVariable("CRASH_SEED") ?? "20260101", CultureInfo.InvariantCulture);
        var random = new Random(seed);
        var cancellation = TestContext.Current.CancellationToken;
        var workload = await CrashWorkload.LoadAsync(Slices, cancellation);
        var input = _input = new CrashInput(_kafka);
        var reader = _reader = new TopicReader(_kafka);
        var fleet = _fleet = new ProcessorFleet(_root, Log,
        [
            "--Kafka:BootstrapServers=" + _kafka.BootstrapServers,
            "--Kafka:StatisticsInterval=00:00:00",
            "--Kafka:Consumer:SessionTimeout=" + SessionTimeout.ToString("c", CultureInfo.InvariantCulture),
            "--Kafka:Consumer:HeartbeatInterval=00:00:01",
            "--Kafka:Consumer:FetchMaxWait=00:00:00.100",
            "--Processing:CommitInterval=00:00:00.100",
            "--Processing:SnapshotInterval=00:00:02",
            // A stop that races a rebalance can hang in the consumer's close until these bounds (seen: 30 s with the defaults).
            "--Processing:ShutdownTimeout=00:00:10",
            "--Service:ShutdownTimeout=00:00:12",
            "--Service:Urls=http://127.0.0.1:0",
            .. (Environment.GetEnvironmentVariable("CRASH_CHILD_ARGS") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries),
        ]);
        var counts = new ChaosCounts();
        Log(string.Create(CultureInfo.InvariantCulture, $"seed {seed}; {CrashWorkload.SymbolCount} symbols x {workload.Symbols[0].Trades.Count} trades in {Slices} slices; logs in {fleet.LogDirectory}"));

        // 1. The live feed, slice by slice, one chaos action after each at a random moment of its processing.
        fleet.Start(fleet.Slots[0]);
        fleet.Start(fleet.Slots[1]);
        var deck = Deck(random);
        var replayAfter = random.Next(2, Slices - 1);
        for (var slice = 0; slice < Slices; slice++)
        {
            await fleet.ReapAndRestartAsync();
            List<InputRecord> feed = [.. workload.Slice(slice)];
            if (slice == replayAfter)
            {
                // An ingest pod restarting from an old position: a whole earlier slice again.
                feed.AddRange(workload.Slice(random.Next(slice)));
                counts.SlicesReplayed++;
            }

            var streaming = input.StreamAsync(feed, TimeSpan.FromMilliseconds(random.Next(1_500, 3_000)), cancellation);
            await Task.Delay(random.Next(200, 1_500), cancellation);
            Log(string.Create(CultureInfo.InvariantCulture, $"slice {slice + 1}/{Slices}: {feed.Count} records streaming; {deck[slice]}"));
            await PerformAsync(deck[slice]);
            await streaming;
        }

        while (fleet.Running.Count() < 2)
        {
            fleet.Start(fleet.Slots.First(s => !s.Running));
        }

        // 2. Every held-back block is reported missing; then the backfill delivers it, and one more instance dies meanwhile.
        await UntilAsync(() => HeldBlocksReported(workload, reader), "every held-back block reported as an open feed gap");
        input.Produce(workload.Backfill());
        input.Flush();
        await Task.Delay(random.Next(0, 800), cancellation);
        Log("backfill produced");
        await KillAsync(wipe: false);
        await UntilAsync(() => reader.Uncommitted(GroupId, CrashWorkload.RawTrades) == 0, "every raw trade processed and committed");

        // 3. The exchange's closed klines; then wait until a downstream reader sees the oracle's figures.
        input.Produce(workload.Klines());
        input.Flush();
        Log("klines produced");
        var converged = Stopwatch.StartNew();
        await UntilExplainedAsync(() => Converged(minimumOwners: 2), "outputs equal to the oracle, every input committed, the partitions shared");
        var convergence = converged.Elapsed;
        var owners = fleet.Running.Select(s => $"{s.Name}: {string.Join(',', ProcessorFleet.Owned(s).Order())}").ToList();

        // 4. A full stop, then one instance alone takes every task back: its own from the snapshots its clean stop
        // wrote (it stops first, before the group rebalances), the others' from the changelogs. Its republished
        // values must still be the oracle's.
        var survivor = fleet.Running.First();
        await fleet.StopAsync(survivor, "stopped");
        await fleet.StopAllAsync();
        fleet.Start(survivor);
        await UntilExplainedAsync(() => Converged(minimumOwners: 1), $"{survivor.Name} alone running every task, outputs still equal to the oracle");
        await fleet.StopAllAsync();

        // 5. Everything as a downstream consumer reads it.
        var checks = new OutputChecks(workload, input);
        string[] topics = [CrashWorkload.RawTrades, CrashWorkload.RawKlines, OutputChecks.Normalized, OutputChecks.Tumbling, OutputChecks.Sliding, OutputChecks.Alerts,
            OutputChecks.Reconciliation, OutputChecks.Gaps, OutputChecks.DeadLetters];
        var records = topics.ToDictionary(t => t, reader.ReadAll, StringComparer.Ordinal);
        checks.CheckTumbling(records[OutputChecks.Tumbling]);
        checks.CheckSliding(records[OutputChecks.Sliding]);
        checks.CheckReconciliations(records[OutputChecks.Reconciliation]);
        checks.CheckNormalized(records[OutputChecks.Normalized]);
        checks.CheckAlerts(records[OutputChecks.Alerts]);
        checks.CheckGaps(records[OutputChecks.Gaps]);
        checks.CheckDeadLetters(records[OutputChecks.DeadLetters]);
        var evicted = topics.SelectMany(t => reader.Watermarks(t).Where(w => w.Marks.Low.Value > 0).Select(w => $"{t}[{w.Partition}]")).ToList();
        var restores = RestoreCounts.Of(fleet.Runs);
        var partitions = input.PartitionOf();

        var c = CultureInfo.InvariantCulture;
        output.WriteLine("=== taker-volume crash run ===");
        output.WriteLine(string.Create(c, $"seed                  {seed}"));
        output.WriteLine(string.Create(c, $"symbols -> partition  {string.Join(", ", partitions.OrderBy(p => p.Value).Select(p => $"{p.Key} {p.Value}"))}"));
        output.WriteLine(string.Create(c, $"input                 {input.Records} raw records ({input.Distinct.Count} distinct trades, {CrashWorkload.SymbolCount * 2} klines; copies: every {CrashWorkload.CopyEvery}th trade, {counts.SlicesReplayed} slice replayed, a {CrashWorkload.BackfillOverlap}-id overlap on each side of every backfill)"));
        output.WriteLine(string.Create(c, $"kill -9               {fleet.Kills} ({fleet.Wipes} followed by a wiped state directory)"));
        output.WriteLine(string.Create(c, $"instances             {counts.Added} added, {counts.Removed} removed; {fleet.GracefulStops} graceful stops (longest {fleet.LongestStop.TotalSeconds:0.0} s, {fleet.StopsTimedOut} timed out), {fleet.Slots.Sum(s => s.Starts)} process starts, at most {fleet.MaxRunning} at once, {fleet.UnexpectedExits} unexpected exits"));
        output.WriteLine(string.Create(c, $"restores              {restores}"));
        output.WriteLine(string.Create(c, $"owners at the end     {string.Join("; ", owners)}"));
        foreach (var line in checks.Figures)
        {
            output.WriteLine("read                  " + line);
        }

        output.WriteLine(string.Create(c, $"broker evicted        {(evicted.Count == 0 ? "nothing (every low watermark 0)" : string.Join(", ", evicted))}"));
        output.WriteLine(string.Create(c, $"wall time             {_clock.Elapsed.TotalSeconds:0.0} s (convergence after the klines {convergence.TotalSeconds:0.0} s)"));
        foreach (var problem in checks.Problems)
        {
            output.WriteLine("PROBLEM: " + problem);
        }

        Assert.True(checks.Problems.Count == 0, $"{checks.Problems.Count} differences from the oracle (seed {seed}), first: {checks.Problems.FirstOrDefault()}");
        Assert.Empty(evicted);
        Assert.True(fleet.Kills >= MinimumKills, $"{fleet.Kills} kill -9s");
        Assert.True(fleet.Wipes >= 1 && restores.FromChangelogAfterWipe >= 1, $"{fleet.Wipes} wipes, {restores.FromChangelogAfterWipe} restores from the changelogs alone after one");
        Assert.True(restores.FromSnapshot >= 1, $"{restores.FromSnapshot} restores from a snapshot");
        Assert.True(counts.Added >= 1 && counts.Removed >= 1, $"{counts.Added} instances added, {counts.Removed} removed");
        Assert.True(restores.InstancesWithTasks >= 3 && fleet.MaxRunning >= 3, $"{restores.InstancesWithTasks} instances ran tasks, at most {fleet.MaxRunning} at once");
        Assert.Equal(0, fleet.UnexpectedExits);
        Assert.True(partitions.Values.Distinct().Count() >= 6 && partitions.Values.Distinct().Count() < partitions.Count, "symbols spread over partitions, some sharing one");
        _keepLogs = Environment.GetEnvironmentVariable("CRASH_KEEP_LOGS") == "1";

        async Task PerformAsync(Chaos action)
        {
            var running = fleet.Running.Count();
            switch (action)
            {
                case Chaos.Kill:
                case Chaos.KillAndWipe:
                    await KillAsync(wipe: action == Chaos.KillAndWipe);
                    break;
                case Chaos.AddInstance when running < ProcessorFleet.MaxInstances:
                case Chaos.RemoveInstance when running < 2:
                    var joining = fleet.Slots.OrderBy(s => s.Starts).First(s => !s.Running);
                    fleet.Start(joining);
                    counts.Added++;

                    // It takes its share of the partitions before anything else happens to the fleet.
                    await UntilAsync(() => ProcessorFleet.Working(joining), $"{joining.Name} running tasks");
                    break;
                case Chaos.AddInstance:
                case Chaos.RemoveInstance:
                    var leaving = fleet.Running.ElementAt(random.Next(running));
                    await fleet.StopAsync(leaving, "removed");
                    counts.Removed++;
                    Log($"stopped {leaving.Name} (graceful)");
                    break;
            }
        }

        async Task KillAsync(bool wipe)
        {
            // An instance at work (its tasks restored, some of them with trades), so the kill lands in processing, a
            // commit or a rebalance, not in an idle instance that owns only empty partitions.
            var busy = input.PartitionOf().Values.ToHashSet();
            List<ProcessorSlot> working = [];
            try
            {
                await Eventually.TrueAsync(() => (working = [.. fleet.Running.Where(s => ProcessorFleet.Working(s) && s.Owned.Overlaps(busy))]).Count > 0,
                    TimeSpan.FromSeconds(15), "an instance at work", cancellation);
            }
            catch (TimeoutException e)
            {
                Log(e.Message);
                working = [.. fleet.Running];
            }

            var victim = working[random.Next(working.Count)];
            await fleet.KillAsync(victim);
            if (wipe)
            {
                fleet.Wipe(victim);
            }

            fleet.Start(victim);
            if (wipe)
            {
                // The wiped instance rebuilds its tasks from the changelogs alone, which is what the wipe is for; without
                // this wait the next step can remove it before the group gave it any (a CI run: 4.5 s was not enough).
                await UntilAsync(() => ProcessorFleet.Working(victim), $"{victim.Name} (wiped) running tasks");
            }
        }

        Task UntilAsync(Func<bool> condition, string what) => UntilExplainedAsync(() => condition() ? null : "not yet", what);

        // Polls a condition that says what it still lacks (null when it holds).
        async Task UntilExplainedAsync(Func<string?> lacking, string what)
        {
            var deadline = Stopwatch.StartNew();
            while (lacking() is { } missing)
            {
                if (deadline.Elapsed > PhaseTimeout)
                {
                    throw new TimeoutException($"Timed out after {PhaseTimeout.TotalSeconds:0} s waiting for: {what}; still {missing} (seed {seed}; logs in {fleet.LogDirectory})");
                }

                await fleet.ReapAndRestartAsync();
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellation);
            }

            Log($"{what}: after {deadline.Elapsed.TotalSeconds:0.0} s");
        }

        string? Converged(int minimumOwners)
        {
            var uncommitted = (Trades: reader.Uncommitted(GroupId, CrashWorkload.RawTrades), Klines: reader.Uncommitted(GroupId, CrashWorkload.RawKlines));
            if (uncommitted.Trades + uncommitted.Klines > 0)
            {
                return $"uncommitted: {uncommitted.Trades} trades, {uncommitted.Klines} klines";
            }

            var owned = fleet.Running.Select(s => (s.Name, Partitions: ProcessorFleet.Owned(s))).ToList();
            if (owned.Count(o => o.Partitions.Count > 0) < minimumOwners || owned.Sum(o => o.Partitions.Count) != 12 || owned.SelectMany(o => o.Partitions).Distinct().Count() != 12
                || !fleet.Running.All(ProcessorFleet.Working))
            {
                return "owners " + string.Join("; ", owned.Select(o => $"{o.Name}: {string.Join(',', o.Partitions.Order())}"));
            }

            var check = new OutputChecks(workload, input);
            check.CheckTumbling(reader.ReadAll(OutputChecks.Tumbling));
            check.CheckSliding(reader.ReadAll(OutputChecks.Sliding));
            check.CheckReconciliations(reader.ReadAll(OutputChecks.Reconciliation));
            return check.Problems.Count == 0 ? null : $"{check.Problems.Count} differences, e.g. {string.Join(" | ", check.Problems.Take(3))}";
        }
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_fleet is not null)
        {
            await _fleet.DisposeAsync();
        }

        _input?.Dispose();
        _reader?.Dispose();
        _kafka.Dispose();
        if (_keepLogs && _fleet is not null)
        {
            var kept = Path.Combine(Path.GetTempPath(), "taker-volume-crash-logs-" + Path.GetFileName(_root));
            Directory.Move(_fleet.LogDirectory, kept);
            output.WriteLine($"child process logs kept in {kept}");
        }

        Directory.Delete(_root, recursive: true);
    }

    /// <summary>The schedule: one action while each slice streams in, every kind in fixed numbers, shuffled by the seed.</summary>
    private static List<Chaos> Deck(Random random)
    {
        List<Chaos> deck = [Chaos.Kill, Chaos.Kill, Chaos.Kill, Chaos.KillAndWipe, Chaos.AddInstance, Chaos.RemoveInstance, Chaos.None, Chaos.None];
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(deck));

        // The fleet grows to three before it shrinks (two at the start): every instance count from two to three is seen.
        var add = deck.IndexOf(Chaos.AddInstance);
        var remove = deck.IndexOf(Chaos.RemoveInstance);
        (deck[Math.Min(add, remove)], deck[Math.Max(add, remove)]) = (Chaos.AddInstance, Chaos.RemoveInstance);
        return deck;
    }

    /// <summary>Whether every symbol's held-back block has been published as an open feed gap.</summary>
    private static bool HeldBlocksReported(CrashWorkload workload, TopicReader reader)
    {
        var open = reader.ReadAll(OutputChecks.Gaps).Select(TopicReader.Decode<FeedGap>).Where(g => !g.Filled && g.MissingIds is not null)
            .Select(g => (g.Symbol, g.MissingIds.First, g.MissingIds.Last)).ToHashSet();
        return workload.Symbols.All(s => open.Contains((s.Name, s.HeldFirstId, s.HeldLastId)));
    }

    private void Log(string message)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"[{_clock.Elapsed.TotalSeconds,6:0.0}] {message}");
        if (Environment.GetEnvironmentVariable("CRASH_TRACE") is { Length: > 0 } trace)
        {
            // Follow a run live (tail -f): the test output appears only at its end.
            File.AppendAllText(trace, line + Environment.NewLine);
        }

        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // After the test ended (disposal): nowhere to write.
        }
    }

    /// <summary>What the schedule did besides kills (those the fleet counts).</summary>
    private sealed class ChaosCounts
    {
        public int Added { get; set; }

        public int Removed { get; set; }

        public int SlicesReplayed { get; set; }
    }
}
