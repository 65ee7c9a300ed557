using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Streaming.EmbeddedKafka;
using Streaming.Processing.CountingApp;
using Streaming.Processing.Runtime;
using Streaming.Processing.Tests.Counting;
using Streaming.Testing;

namespace Streaming.Processing.Tests.Chaos;

/// <summary>
/// The runtime's proof: the counting topology run as child processes against the embedded broker in this process, over
/// at least 100 000 records, under kill -9s at random points and inside the commit path, graceful restarts, instances
/// added and removed, a SIGSTOP'd zombie, broker faults (brokers down and up, leader and coordinator moves, request
/// errors, slow responses) and earlier input re-produced at the broker. At the end the deduplicated outputs and the
/// changelog replayed with the owner-epoch rule both equal the offline oracle of <see cref="CountingWorkload"/>.
/// </summary>
/// <remarks>
/// Deterministic schedule from a seed (<c>CHAOS_SEED</c>, printed); <c>CHAOS_RECORDS</c> changes the volume;
/// <c>CHAOS_TRACE</c> names a file that receives the schedule's log as it happens; <c>CHAOS_CHILD_ARGS</c> adds
/// arguments to every instance (e.g. <c>--Kafka:Overrides:debug=cgrp --Logging:LogLevel:Default=Debug</c>). The
/// figures are printed as a table. On failure the child processes' logs are kept and their directory printed.
/// </remarks>
public sealed class ChaosTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Partitions = 8;
    private const int Keys = 400;
    private const int MinimumKills = 20;
    private static readonly TimeSpan SessionTimeout = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan ConvergenceTimeout = TimeSpan.FromSeconds(150);

    /// <summary>
    /// The embedded broker can leave a request unanswered across a broker down/up (seen: ProduceRequests in flight
    /// timing out after librdkafka's default 60 s): the instances give up on a request after 30 s and retry. Not
    /// less: their group requests can queue behind a JoinGroup and a SyncGroup the broker holds (up to a session
    /// timeout each), and a timed-out request reconnects, which the embedded broker's group code does not survive
    /// (see <see cref="RequestErrorKinds"/>). The test's own producer, which only produces, gives up after 10 s.
    /// </summary>
    private const string SocketTimeoutMs = "30000";
    private const int InputSocketTimeoutMs = 10_000;

    private readonly EmbeddedKafkaFixture _kafka = new();
    private readonly string _root = Directory.CreateTempSubdirectory("processing-chaos-").FullName;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(string Key, CountingRecord Record)> _history = [];
    private CountingFleet? _fleet;
    private IProducer<string, byte[]>? _producer;
    private string _input = string.Empty;
    private bool _keepLogs;
    private string _convergenceNote = string.Empty;
    private int _coordinator = 1;
    private int _inputFailed;
    private Error? _inputError;
    private Action<DeliveryReport<string, byte[]>> _onDelivered = null!;

    private enum ChaosAction
    {
        None,
        Kill,
        CommitPathKill,
        GracefulRestart,
        AddInstance,
        RemoveInstance,
        Zombie,
        CommitPathZombie,
        BrokerDown,
        LeaderMoves,
        CoordinatorMove,
        RequestErrors,
        SlowBroker,
        DuplicateSlice,
    }

    [Fact]
    public async Task ChaosRun_KillsRebalancesZombieBrokerFaultsAndDuplicates_OutputsAndStateEqualTheOracle()
    {
        var seed = int.Parse(Environment.GetEnvironmentVariable("CHAOS_SEED") ?? "20250611", CultureInfo.InvariantCulture);
        var targetRecords = int.Parse(Environment.GetEnvironmentVariable("CHAOS_RECORDS") ?? "100000", CultureInfo.InvariantCulture);
        var random = new Random(seed);
        var figures = new ChaosFigures { Seed = seed };
        var workload = new CountingWorkload(seed, Keys);
        var cancellation = TestContext.Current.CancellationToken;

        var app = string.Create(CultureInfo.InvariantCulture, $"chaos-{seed}");
        var input = _input = app + "-in";
        var outputTopic = app + "-out";
        var changelog = CountingTopology.Changelog(app);
        string[] topics = [input, outputTopic, changelog];
        foreach (var topic in topics)
        {
            _kafka.Cluster.CreateTopic(topic, Partitions, 3);
        }

        _kafka.Cluster.CreateTopic(app + "-dlq", 1, 3);
        _onDelivered = OnDelivered;
        var producerConfig = _kafka.ProducerConfig("chaos-input");
        producerConfig.SocketTimeoutMs = InputSocketTimeoutMs;
        _producer = new ProducerBuilder<string, byte[]>(producerConfig).Build();

        // The group coordinator is known at every moment, so a move can close the connections to the old one (see MoveCoordinator).
        _kafka.Cluster.SetCoordinator(CoordinatorType.Group, app, _coordinator);
        var fleet = _fleet = new CountingFleet(_root, figures, Log,
        [
            "--Kafka:BootstrapServers=" + _kafka.BootstrapServers,
            "--Kafka:StatisticsInterval=00:00:00",
            "--Kafka:Consumer:SessionTimeout=" + SessionTimeout.ToString("c", CultureInfo.InvariantCulture),
            "--Kafka:Consumer:HeartbeatInterval=00:00:01",
            "--Kafka:Consumer:FetchMaxWait=00:00:00.100",
            "--Kafka:Overrides:socket.timeout.ms=" + SocketTimeoutMs,
            "--Counting:ApplicationId=" + app,
            "--Counting:InputTopic=" + input,
            "--Counting:OutputTopic=" + outputTopic,
            "--Processing:CommitInterval=00:00:00.1",
            "--Processing:SnapshotInterval=00:00:03",
            "--Processing:DeadLetterTopic=" + app + "-dlq",
            "--Service:Urls=http://127.0.0.1:0",
            "--Chaos:ParentPid=" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            .. (Environment.GetEnvironmentVariable("CHAOS_CHILD_ARGS") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries),
        ]);

        Log(string.Create(CultureInfo.InvariantCulture, $"seed {seed}, {targetRecords} records, {Partitions} partitions (RF 3 on {_kafka.Cluster.BrokerCount} brokers), {Keys} keys, logs in {fleet.LogDirectory}"));
        fleet.Start(fleet.Slots[0]);
        fleet.Start(fleet.Slots[1]);

        // The schedule: a deck with every kind of fault in fixed numbers, shuffled by the seed.
        var deck = Deck(random);
        var batch = (targetRecords + deck.Count - 1) / deck.Count;
        var requestErrorKind = random.Next(RequestErrorKinds.Length);
        var failover = random.Next(2) == 0;
        Log($"{deck.Count} steps of {batch} records: {string.Join(' ', deck.Select(d => $"{d.Instances}+{d.Broker}"))}");

        for (var step = 0; step < deck.Count; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            await ReapAndRestartAsync(fleet, random, figures);
            Produce(workload, Math.Min(batch, Math.Max(0, targetRecords - (int)workload.Produced)));
            var (instanceAction, brokerAction) = deck[step];
            Log(string.Create(CultureInfo.InvariantCulture, $"step {step + 1}/{deck.Count}: {instanceAction} + {brokerAction} ({workload.Produced} produced, {OutputProgress(outputTopic)} outputs, {fleet.Live.Count()} live)"));
            foreach (var action in new[] { instanceAction, brokerAction })
            {
                await PerformAsync(action);
            }

            // Let it run a little before the next faults (the pace of the schedule, not a synchronization).
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(1_000, 3_000)), cancellation);
        }

        async Task PerformAsync(ChaosAction action)
        {
            switch (action)
            {
                case ChaosAction.Kill:
                    await KillAsync(fleet, random, figures);
                    break;
                case ChaosAction.CommitPathKill:
                    await ArmCommitPathKillAsync(fleet, random, figures, (CommitPhase)(figures.CommitPathKillsArmed % 3));
                    break;
                case ChaosAction.GracefulRestart:
                    await GracefulRestartAsync(fleet, random, figures);
                    break;
                case ChaosAction.AddInstance when fleet.RunningCount < CountingFleet.MaxInstances:
                case ChaosAction.RemoveInstance when fleet.Live.Count() <= 1:
                    AddInstance(fleet, figures);
                    break;
                case ChaosAction.AddInstance:
                case ChaosAction.RemoveInstance:
                    await RemoveInstanceAsync(fleet, random, figures);
                    break;
                case ChaosAction.Zombie:
                    await ZombieAsync(fleet, random, figures, workload, batch, inCommit: false);
                    break;
                case ChaosAction.CommitPathZombie:
                    await ZombieAsync(fleet, random, figures, workload, batch, inCommit: true);
                    break;
                case ChaosAction.BrokerDown:
                    await BrokerDownAsync(random, figures, app, topics, failover);
                    failover = !failover;
                    break;
                case ChaosAction.LeaderMoves:
                    MoveLeaders(random, figures, topics, random.Next(2, 7));
                    break;
                case ChaosAction.CoordinatorMove:
                    MoveCoordinator(random, figures, app);
                    break;
                case ChaosAction.RequestErrors:
                    PushRequestErrors(figures, RequestErrorKinds[requestErrorKind++ % RequestErrorKinds.Length]);
                    break;
                case ChaosAction.SlowBroker:
                    await SlowBrokerAsync(random, figures);
                    break;
                case ChaosAction.DuplicateSlice:
                    ProduceEarlierSlice(random, figures);
                    break;
            }
        }

        // Up to the promised figures: a kill at every commit step (an armed instance can be killed, stopped or removed
        // by another fault before its time; arm again), the armed ones fired (they need commits, so input), enough kills.
        for (var round = 0; round < 3; round++)
        {
            foreach (var phase in figures.CommitPathKills.Where(k => k.Value == 0).Select(k => k.Key).ToList())
            {
                if (!fleet.Slots.Any(s => s.Running && s.Armed == phase))
                {
                    await ArmCommitPathKillAsync(fleet, random, figures, phase, maxCommits: 5);
                }
            }

            var armedDeadline = Stopwatch.StartNew();
            while (ArmedAlive(fleet) > 0 && armedDeadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                Produce(workload, 300);
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellation);
                await ReapAndRestartAsync(fleet, random, figures);
            }
        }

        while (figures.Kills < MinimumKills)
        {
            await ReapAndRestartAsync(fleet, random, figures);
            Produce(workload, 500);
            await KillAsync(fleet, random, figures);
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(300, 1_200)), cancellation);
        }

        Produce(workload, Math.Max(0, targetRecords - (int)workload.Produced));
        FlushInput();
        figures.ChaosTime = _clock.Elapsed;
        var oracle = HeldInputOracle(input, workload.Oracle, figures);

        // Heal everything, keep at least two instances, and wait until the outputs equal the oracle.
        Heal();
        foreach (var slot in fleet.Slots.Where(s => s.Frozen))
        {
            await fleet.ThawAsync(slot);
        }

        while (fleet.RunningCount < 2)
        {
            fleet.Start(fleet.Slots.First(s => !s.Running));
        }

        Log($"chaos over after {figures.ChaosTime.TotalSeconds:0.0} s; waiting for the outputs to equal the oracle");
        var converged = Stopwatch.StartNew();
        using (var follower = new OutputFollower(_kafka.BootstrapServers, outputTopic, Partitions))
        {
            while (converged.Elapsed < ConvergenceTimeout)
            {
                await ReapAndRestartAsync(fleet, random, figures);
                follower.CatchUp();
                if (CountingResults.EqualsOracle(follower.Latest, oracle))
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
            }
        }

        figures.ConvergenceTime = converged.Elapsed;
        if (figures.ConvergenceTime >= ConvergenceTimeout)
        {
            // Tells a partition nobody processes (committed offset behind the input's end) from a record lost (at the end).
            _convergenceNote = $"no convergence in {ConvergenceTimeout.TotalSeconds:0} s; input end/committed per partition: {InputProgress(app, input)}; "
                + $"owners: {string.Join(", ", fleet.Slots.Where(s => s.Running).Select(s => $"{s.Name}{(s.Frozen ? " (frozen)" : string.Empty)} [{string.Join(',', CountingFleet.Owned(s).Order())}]"))}";
            Log(_convergenceNote);
        }

        await ReapAndRestartAsync(fleet, random, figures);
        await fleet.StopAllAsync();
        await fleet.ReapAsync();

        var outputs = CountingResults.ReadOutputs(_kafka.BootstrapServers, outputTopic, Partitions);
        var (state, staleIgnored) = CountingResults.ReadChangelog(_kafka.BootstrapServers, changelog, Partitions);
        figures.GracefulStopsTimedOut = fleet.StopsTimedOut;
        figures.RecordsProduced = workload.Produced + figures.DuplicateSliceRecords;
        figures.WorkloadRepeats = workload.DuplicatesProduced;
        figures.Distinct = workload.Oracle.Values.Sum(v => v.Count);
        figures.OutputRecords = outputs.Records;
        figures.OutputRepeatsDropped = outputs.Repeats;
        figures.OutputStaleDropped = outputs.Stale;
        figures.ChangelogStaleIgnored = staleIgnored;
        figures.ChangelogRecords = Watermarks(changelog).Sum(w => w.High);
        foreach (var topic in topics)
        {
            var marks = Watermarks(topic);
            figures.Watermarks.Add(string.Create(CultureInfo.InvariantCulture,
                $"{topic}: {marks.Sum(w => w.High)} records, low watermarks {string.Join('/', marks.Select(w => w.Low))}, high {string.Join('/', marks.Select(w => w.High))}"));
        }

        figures.WallTime = _clock.Elapsed;
        output.WriteLine("=== chaos run figures ===");
        foreach (var line in figures.Lines())
        {
            output.WriteLine(line);
        }

        _keepLogs = true;
        var outputDifferences = ReportDifferences("outputs", outputs.Latest, oracle);
        var stateDifferences = ReportDifferences("changelog", state, oracle);
        if (outputDifferences.Length > 0 || stateDifferences.Length > 0)
        {
            ExplainMissingIds(input, changelog, state, oracle);
        }

        Assert.True(CountingResults.EqualsOracle(outputs.Latest, oracle), $"the deduplicated outputs equal the oracle: {outputDifferences} {_convergenceNote}");
        Assert.True(CountingResults.EqualsOracle(state, oracle), $"the changelog replayed with the owner-epoch rule equals the oracle: {stateDifferences} {_convergenceNote}");
        Assert.True(figures.InputLostByBroker == 0, $"the broker holds every input record it acknowledged ({figures.InputLostByBroker} missing)");
        Assert.All(topics, topic => Assert.All(Watermarks(topic), w => Assert.Equal(0, w.Low)));
        Assert.True(workload.Produced >= targetRecords, $"{workload.Produced} records produced");
        Assert.True(figures.Kills >= MinimumKills, $"{figures.Kills} kill -9s");
        Assert.All(figures.CommitPathKills, k => Assert.True(k.Value >= 1, $"{k.Value} kills at {k.Key}"));
        Assert.True(figures.Zombies >= 1 && figures.ZombieTakeoversObserved >= 1, "a zombie whose tasks were taken over");
        Assert.True(figures.InstancesAdded >= 1 && figures.InstancesRemoved >= 1, "instances added and removed");
        Assert.True(figures.GracefulRestarts >= 1, "graceful restarts");
        Assert.True(figures.BrokerDownUps >= 1 && figures.LeaderMoves >= 1 && figures.CoordinatorMoves >= 1 && figures.RequestErrors.Count >= 1, "every kind of broker fault");
        Assert.True(figures.DuplicateSlices >= 1, "duplicates injected at the broker");
        _keepLogs = false;
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_fleet is not null)
        {
            await _fleet.DisposeAsync();
        }

        _producer?.Dispose();
        _kafka.Dispose();
        if (_keepLogs && _fleet is not null)
        {
            var kept = Path.Combine(Path.GetTempPath(), "processing-chaos-logs-" + Path.GetFileName(_root));
            Directory.Move(_fleet.LogDirectory, kept);
            output.WriteLine($"child process logs kept in {kept}");
        }

        Directory.Delete(_root, recursive: true);
    }

    /// <summary>
    /// Errors queued for the next requests of one API (whichever client sends them). No error that makes librdkafka
    /// mark the group coordinator dead (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE on a group request): while a
    /// JoinGroup waits in the embedded broker, the consumer then sends a second one, and the mock aborts the whole
    /// process (rdkafka_mock_cgrp.c: <c>Assertion `!member-&gt;resp' failed</c>). Coordinator moves are done safely instead
    /// (see <see cref="MoveCoordinator"/>).
    /// </summary>
    private static readonly (string Name, KafkaApiKey Api, ErrorCode[] Errors)[] RequestErrorKinds =
    [
        ("Produce NotLeaderForPartition", KafkaApiKey.Produce, [ErrorCode.NotLeaderForPartition, ErrorCode.NotLeaderForPartition, ErrorCode.NotLeaderForPartition]),
        ("OffsetCommit RebalanceInProgress", KafkaApiKey.OffsetCommit, [ErrorCode.RebalanceInProgress]),
        ("Fetch NotLeaderForPartition", KafkaApiKey.Fetch, [ErrorCode.NotLeaderForPartition, ErrorCode.NotLeaderForPartition, ErrorCode.NotLeaderForPartition]),
        ("Heartbeat RebalanceInProgress", KafkaApiKey.Heartbeat, [ErrorCode.RebalanceInProgress]),
        ("OffsetCommit RequestTimedOut", KafkaApiKey.OffsetCommit, [ErrorCode.RequestTimedOut, ErrorCode.RequestTimedOut]),
        ("Produce RequestTimedOut", KafkaApiKey.Produce, [ErrorCode.RequestTimedOut, ErrorCode.RequestTimedOut]),
        ("FindCoordinator GroupCoordinatorNotAvailable", KafkaApiKey.FindCoordinator, [ErrorCode.GroupCoordinatorNotAvailable, ErrorCode.GroupCoordinatorNotAvailable]),
        ("ListOffsets NotLeaderForPartition", KafkaApiKey.ListOffsets, [ErrorCode.NotLeaderForPartition]),
    ];

    /// <summary>
    /// The schedule: at each step one action on the instances and one on the broker (or none), each deck holding
    /// every kind in fixed numbers, shuffled by the seed.
    /// </summary>
    private static List<(ChaosAction Instances, ChaosAction Broker)> Deck(Random random)
    {
        List<ChaosAction> instances = [], broker = [];
        void Add(List<ChaosAction> deck, ChaosAction action, int count) => deck.AddRange(Enumerable.Repeat(action, count));
        Add(instances, ChaosAction.Kill, 15);
        Add(instances, ChaosAction.CommitPathKill, 6);
        Add(instances, ChaosAction.GracefulRestart, 3);
        Add(instances, ChaosAction.AddInstance, 3);
        Add(instances, ChaosAction.RemoveInstance, 3);
        Add(instances, ChaosAction.Zombie, 1);
        Add(instances, ChaosAction.CommitPathZombie, 1);
        Add(broker, ChaosAction.BrokerDown, 3);
        Add(broker, ChaosAction.LeaderMoves, 2);
        Add(broker, ChaosAction.CoordinatorMove, 2);
        Add(broker, ChaosAction.RequestErrors, 6);
        Add(broker, ChaosAction.SlowBroker, 1);
        Add(broker, ChaosAction.DuplicateSlice, 3);
        Add(broker, ChaosAction.None, instances.Count - broker.Count);
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(instances));
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(broker));
        return [.. instances.Zip(broker)];
    }

    private static int ArmedAlive(CountingFleet fleet) => fleet.Slots.Count(s => s.Running && s.Armed is not null);

    /// <summary>A live instance, preferring those not armed to die in the commit path (their death is scheduled already).</summary>
    private static CountingSlot? PickLive(CountingFleet fleet, Random random)
    {
        var live = fleet.Live.Where(s => s.Armed is null).ToList();
        if (live.Count == 0)
        {
            live = [.. fleet.Live];
        }

        return live.Count == 0 ? null : live[random.Next(live.Count)];
    }

    private static async Task ReapAndRestartAsync(CountingFleet fleet, Random random, ChaosFigures figures)
    {
        foreach (var slot in await fleet.ReapAsync())
        {
            if (random.Next(3) == 0)
            {
                fleet.Wipe(slot);
            }

            fleet.Start(slot);
        }

        if (fleet.RunningCount == 0)
        {
            AddInstance(fleet, figures);
        }
    }

    private async Task KillAsync(CountingFleet fleet, Random random, ChaosFigures figures)
    {
        // An instance at work (tasks restored, processing), so the kill lands in processing, a commit or a rebalance.
        List<CountingSlot> working = [];
        try
        {
            await Eventually.TrueAsync(() => (working = [.. fleet.Live.Where(s => s.Armed is null && CountingFleet.Working(s))]).Count > 0,
                TimeSpan.FromSeconds(10), "an instance at work", TestContext.Current.CancellationToken);
        }
        catch (TimeoutException e)
        {
            Log(e.Message);
        }

        var victim = working.Count > 0 ? working[random.Next(working.Count)] : PickLive(fleet, random);
        if (victim is null)
        {
            return;
        }

        // A random point: somewhere in processing the batch just produced, a restore, a commit or a rebalance.
        await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 1_500)));
        if (!victim.Live)
        {
            return;
        }

        Log($"kill -9 {victim.Name}");
        await fleet.KillAsync(victim);
        figures.ExternalKills++;
        if (random.Next(10) < 3)
        {
            fleet.Wipe(victim);
        }

        fleet.Start(victim);
    }

    private static async Task ArmCommitPathKillAsync(CountingFleet fleet, Random random, ChaosFigures figures, CommitPhase phase, int maxCommits = 15)
    {
        var after = random.Next(2, maxCommits);
        var free = fleet.Slots.FirstOrDefault(s => !s.Running);
        if (free is not null)
        {
            fleet.Start(free, phase, after);
            figures.InstancesAdded++;
            return;
        }

        var victim = PickLive(fleet, random);
        if (victim is null)
        {
            return;
        }

        await fleet.StopAsync(victim, "graceful-restart");
        figures.GracefulRestarts++;
        fleet.Start(victim, phase, after);
    }

    private async Task GracefulRestartAsync(CountingFleet fleet, Random random, ChaosFigures figures)
    {
        var victim = PickLive(fleet, random);
        if (victim is null)
        {
            return;
        }

        Log($"graceful restart of {victim.Name}");
        await fleet.StopAsync(victim, "graceful-restart");
        figures.GracefulRestarts++;
        if (random.Next(5) == 0)
        {
            fleet.Wipe(victim);
        }

        fleet.Start(victim);
    }

    private static void AddInstance(CountingFleet fleet, ChaosFigures figures)
    {
        var free = fleet.Slots.FirstOrDefault(s => !s.Running);
        if (free is not null)
        {
            fleet.Start(free);
            figures.InstancesAdded++;
        }
    }

    private async Task RemoveInstanceAsync(CountingFleet fleet, Random random, ChaosFigures figures)
    {
        var victim = PickLive(fleet, random);
        if (victim is null)
        {
            return;
        }

        Log($"remove {victim.Name}");
        await fleet.StopAsync(victim, "removed");
        figures.InstancesRemoved++;
    }

    /// <summary>
    /// A zombie: an instance that owns partitions stops (SIGSTOP) until the group expired it and other instances
    /// restored all its tasks (seen in their logs: their owner markers are in the changelogs), while more input arrives; then SIGCONT: it resumes believing it still
    /// owns its tasks. Either the test stops it at a random point, just after input for it was produced (it wakes with
    /// fetched records to process), or (<paramref name="inCommit"/>) it stops itself between two steps of a commit
    /// (it wakes to write its changelog or commit its offsets as a stale owner).
    /// </summary>
    private async Task ZombieAsync(CountingFleet fleet, Random random, ChaosFigures figures, CountingWorkload workload, int batch, bool inCommit)
    {
        var cancellation = TestContext.Current.CancellationToken;
        if (fleet.Live.Count() < (inCommit ? 1 : 2))
        {
            AddInstance(fleet, figures);
        }

        CountingSlot victim;
        if (inCommit)
        {
            // Between outputs and changelog: on SIGCONT it writes its changelog records after the new owner's marker.
            const CommitPhase phase = CommitPhase.OutputsFlushed;
            var slot = fleet.Slots.FirstOrDefault(s => !s.Running);
            if (slot is null)
            {
                slot = PickLive(fleet, random)!;
                await fleet.StopAsync(slot, "graceful-restart");
                figures.GracefulRestarts++;
            }
            else
            {
                figures.InstancesAdded++;
            }

            fleet.Start(slot, afterCommits: random.Next(3, 10), pauseAt: phase);

            // Commits need work: input keeps coming until it has stopped itself.
            var waiting = Stopwatch.StartNew();
            while (!CountingFleet.PausedItself(slot) && slot.Running && waiting.Elapsed < TimeSpan.FromSeconds(60))
            {
                Produce(workload, 200);
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellation);
            }

            if (!CountingFleet.PausedItself(slot))
            {
                Log($"{slot.Name} did not stop itself at {phase} within {waiting.Elapsed.TotalSeconds:0} s");
                return;
            }

            victim = slot;
            victim.Frozen = true;
            figures.ZombieKinds.Add("stopped itself at " + phase);
            Log($"{victim.Name} stopped itself (SIGSTOP) at {phase}");
            Produce(workload, batch);
        }
        else
        {
            List<CountingSlot> working = [];
            try
            {
                await Eventually.TrueAsync(() => (working = [.. fleet.Live.Where(CountingFleet.Working)]).Count >= 1 && fleet.Live.Count() >= 2,
                    TimeSpan.FromSeconds(40), "two live instances, one of them processing", cancellation);
            }
            catch (TimeoutException e)
            {
                Log(e.Message);
                return;
            }

            // Stopped while input for it is in flight: it has fetched records it has not processed yet when it wakes.
            victim = working[random.Next(working.Count)];
            Produce(workload, batch);
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(100, 300)), cancellation);
            if (!victim.Live)
            {
                return;
            }

            await fleet.FreezeAsync(victim);
            figures.ZombieKinds.Add("stopped at a random point");
        }

        if (!fleet.Live.Any())
        {
            AddInstance(fleet, figures);
        }

        var owned = CountingFleet.Owned(victim).ToHashSet();
        var others = fleet.Slots.Where(o => o != victim && o.Running).ToList();
        var marks = others.ToDictionary(o => o, CountingFleet.LogLength);
        var frozen = Stopwatch.StartNew();
        Log($"zombie {victim.Name} owns partitions {string.Join(',', owned.Order())}; others: {string.Join(',', others.Select(o => o.Name))}");
        var takenOver = false;
        try
        {
            await Eventually.TrueAsync(
                () => frozen.Elapsed > SessionTimeout
                    && owned.All(p => fleet.Slots.Any(o => o != victim && o.Running && CountingFleet.RestoredSince(o, marks.GetValueOrDefault(o)).Contains(p))),
                TimeSpan.FromSeconds(40), $"other instances own the partitions of {victim.Name}", cancellation);
            takenOver = true;
        }
        catch (TimeoutException e)
        {
            Log(e.Message);
        }

        // More input for the new owners, and for the zombie's fetch buffers when it wakes up.
        Produce(workload, batch);
        Log($"SIGCONT {victim.Name} after {frozen.Elapsed.TotalSeconds:0.0} s (takeover {(takenOver ? "seen" : "not seen")})");
        await fleet.ThawAsync(victim);
        figures.Zombies++;
        if (takenOver)
        {
            figures.ZombieTakeoversObserved++;

            // Its last acts as a zombie (processing what it had fetched, a commit the group refuses), then it learns.
            try
            {
                await Eventually.TrueAsync(() => !victim.Live || !CountingFleet.Owned(victim).Overlaps(owned),
                    TimeSpan.FromSeconds(30), $"{victim.Name} learns it lost its partitions", cancellation);
            }
            catch (TimeoutException e)
            {
                Log(e.Message);
            }
        }
    }

    private async Task BrokerDownAsync(Random random, ChaosFigures figures, string app, string[] topics, bool failover)
    {
        var cluster = _kafka.Cluster;
        var broker = random.Next(1, cluster.BrokerCount + 1);
        var others = cluster.BrokerIds.Where(b => b != broker).ToList();
        TimeSpan down;
        if (failover)
        {
            // What a controller does: leadership and the group coordinator move off the broker, then it goes.
            foreach (var topic in topics)
            {
                for (var p = 0; p < Partitions; p++)
                {
                    cluster.SetPartitionLeader(topic, p, others[random.Next(others.Count)]);
                }
            }

            _coordinator = others[random.Next(others.Count)];
            cluster.SetCoordinator(CoordinatorType.Group, app, _coordinator);
            figures.BrokerFailovers++;
            figures.LeaderMoves++;
            figures.CoordinatorMoves++;
            down = TimeSpan.FromMilliseconds(random.Next(2_000, 5_000));
        }
        else
        {
            // A crash: whatever it leads or coordinates is unavailable until it is back (shorter than a session).
            down = TimeSpan.FromMilliseconds(random.Next(1_000, 2_500));
        }

        Log($"broker {broker} down for {down.TotalSeconds:0.0} s (failover: {failover})");
        cluster.SetBrokerDown(broker);
        figures.BrokerDownUps++;
        await Task.Delay(down, TestContext.Current.CancellationToken);
        cluster.SetBrokerUp(broker);
    }

    /// <summary>
    /// The group coordinator moves to another broker, and the old one drops its connections at the same moment (a
    /// blip: down and straight up again), as when a coordinator fails over. A JoinGroup waiting on the old
    /// coordinator is then dropped with its connection instead of answered next to the one the consumer sends to the
    /// new coordinator (which the embedded broker cannot handle, see <see cref="RequestErrorKinds"/>).
    /// </summary>
    private void MoveCoordinator(Random random, ChaosFigures figures, string app)
    {
        var old = _coordinator;
        var others = _kafka.Cluster.BrokerIds.Where(b => b != old).ToList();
        _coordinator = others[random.Next(others.Count)];
        Log($"group coordinator {old} -> {_coordinator}");
        _kafka.Cluster.SetCoordinator(CoordinatorType.Group, app, _coordinator);
        _kafka.Cluster.SetBrokerDown(old);
        _kafka.Cluster.SetBrokerUp(old);
        figures.CoordinatorMoves++;
    }

    private void MoveLeaders(Random random, ChaosFigures figures, string[] topics, int count)
    {
        for (var i = 0; i < count; i++)
        {
            _kafka.Cluster.SetPartitionLeader(topics[random.Next(topics.Length)], random.Next(Partitions), random.Next(1, _kafka.Cluster.BrokerCount + 1));
        }

        figures.LeaderMoves++;
    }

    private void PushRequestErrors(ChaosFigures figures, (string Name, KafkaApiKey Api, ErrorCode[] Errors) kind)
    {
        Log("request errors: " + kind.Name);
        _kafka.Cluster.PushRequestErrors(kind.Api, kind.Errors);
        figures.RequestError(kind.Name);
    }

    private async Task SlowBrokerAsync(Random random, ChaosFigures figures)
    {
        // Not the group coordinator: the embedded broker then answers JoinGroup/SyncGroup after librdkafka gave up on
        // them, and the consumer's next one aborts the broker's process (see RequestErrorKinds).
        var brokers = _kafka.Cluster.BrokerIds.Where(b => b != _coordinator).ToList();
        var broker = brokers[random.Next(brokers.Count)];
        var rtt = TimeSpan.FromMilliseconds(random.Next(200, 800));
        Log($"broker {broker} answers {rtt.TotalMilliseconds:0} ms late");
        _kafka.Cluster.SetBrokerRtt(broker, rtt);
        figures.SlowBrokers++;
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        _kafka.Cluster.SetBrokerRtt(broker, TimeSpan.Zero);
    }

    private void Heal()
    {
        foreach (var kind in RequestErrorKinds)
        {
            _kafka.Cluster.ClearRequestErrors(kind.Api);
        }

        foreach (var broker in _kafka.Cluster.BrokerIds)
        {
            _kafka.Cluster.SetBrokerUp(broker);
            _kafka.Cluster.SetBrokerRtt(broker, TimeSpan.Zero);
        }
    }

    private void Produce(CountingWorkload workload, int count)
    {
        if (count <= 0)
        {
            return;
        }

        var batch = workload.Next(count);
        _history.AddRange(batch);
        ProduceAll(batch, 1_700_000_000_000 + workload.Produced);
    }

    /// <summary>An earlier stretch of the input produced again, whole: the broker then holds every record of it twice.</summary>
    private void ProduceEarlierSlice(Random random, ChaosFigures figures)
    {
        var length = Math.Min(_history.Count, random.Next(1_000, 4_000));
        var start = random.Next(0, _history.Count - length + 1);
        Log($"re-producing input records {start}..{start + length - 1}");
        ProduceAll(_history.GetRange(start, length), 1_700_000_000_000 + start);
        figures.DuplicateSlices++;
        figures.DuplicateSliceRecords += length;
    }

    /// <summary>
    /// Hands the records to the producer without waiting (the input keeps flowing whatever the broker does, as from a
    /// real source); <see cref="FlushInput"/> checks at the end that the broker acknowledged every one of them.
    /// </summary>
    private void ProduceAll(List<(string Key, CountingRecord Record)> records, long timestampMs)
    {
        var producer = _producer!;
        foreach (var (key, record) in records)
        {
            while (true)
            {
                try
                {
                    producer.Produce(_input, new Message<string, byte[]> { Key = key, Value = record.ToBytes(), Timestamp = new Timestamp(timestampMs, TimestampType.CreateTime) }, _onDelivered);
                    break;
                }
                catch (ProduceException<string, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(20));
                }
            }
        }

    }

    /// <summary>Waits for the broker to acknowledge every input record: one refused would make the oracle wrong.</summary>
    private void FlushInput()
    {
        var deadline = Stopwatch.StartNew();
        while (_producer!.Flush(TimeSpan.FromSeconds(1)) > 0)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(120))
            {
                throw new TimeoutException("input records not acknowledged within 120 s");
            }
        }

        Assert.True(_inputFailed == 0, $"{_inputFailed} input records were refused: {_inputError}");
    }

    private void OnDelivered(DeliveryReport<string, byte[]> report)
    {
        if (report.Error.IsError)
        {
            Interlocked.Increment(ref _inputFailed);
            Interlocked.CompareExchange(ref _inputError, report.Error, null);
        }
    }

    /// <summary>Records in the output topic so far, for the log; -1 while the broker refuses to say (a fault).</summary>
    private long OutputProgress(string topic)
    {
        try
        {
            return Watermarks(topic).Sum(w => w.High);
        }
        catch (KafkaException)
        {
            return -1;
        }
    }

    private string InputProgress(string group, string topic)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(_kafka.ConsumerConfig(group, "chaos-progress")).Build();
        var partitions = Enumerable.Range(0, Partitions).Select(p => new TopicPartition(topic, p)).ToList();
        var committed = consumer.Committed(partitions, TimeSpan.FromSeconds(30));
        return string.Join(' ', committed.Select(c => string.Create(
            CultureInfo.InvariantCulture,
            $"{c.Partition.Value}:{consumer.QueryWatermarkOffsets(c.TopicPartition, TimeSpan.FromSeconds(30)).High.Value}/{c.Offset.Value}")));
    }

    private List<(long Low, long High)> Watermarks(string topic)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(_kafka.ConsumerConfig("chaos-watermarks")).Build();
        var marks = new List<(long Low, long High)>();
        for (var p = 0; p < Partitions; p++)
        {
            var w = consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(30));
            marks.Add((w.Low.Value, w.High.Value));
        }

        return marks;
    }

    /// <summary>Writes how <paramref name="actual"/> differs from the oracle (up to 20 keys) and returns the first lines of it.</summary>
    private string ReportDifferences(string what, Dictionary<string, (long Total, long Count)> actual, Dictionary<string, (long Total, long Count)> oracle)
    {
        var wrong = oracle.Where(e => !actual.TryGetValue(e.Key, out var v) || v != e.Value).ToList();
        var extra = actual.Keys.Where(k => !oracle.ContainsKey(k)).ToList();
        if (wrong.Count == 0 && extra.Count == 0)
        {
            output.WriteLine($"{what}: equal to the oracle ({oracle.Count} keys)");
            return string.Empty;
        }

        var lines = new List<string> { $"{what}: {wrong.Count} keys differ from the oracle, {extra.Count} unknown keys" };
        foreach (var (key, expected) in wrong.Take(20))
        {
            var got = actual.TryGetValue(key, out var v) ? $"total {v.Total} count {v.Count}" : "missing";
            lines.Add($"  {key}: oracle total {expected.Total} count {expected.Count}, got {got}");
        }

        foreach (var line in lines)
        {
            output.WriteLine(line);
        }

        return string.Join("; ", lines.Take(6));
    }

    /// <summary>
    /// The oracle of the input the broker holds: per key, the sum and count of the distinct ids in the input topic.
    /// The stock embedded broker lost acknowledged input records (338, 393: one batch of one partition, no delivery
    /// error) until eng/librdkafka-patches/0002 made it check idempotent sequences. The runtime is judged against
    /// what it could read, so a difference there is its own; the test then fails separately if the broker lost input.
    /// </summary>
    private Dictionary<string, (long Total, long Count)> HeldInputOracle(string input, IReadOnlyDictionary<string, (long Total, long Count)> produced, ChaosFigures figures)
    {
        var ids = new Dictionary<string, Dictionary<long, long>>(StringComparer.Ordinal);
        foreach (var record in CountingResults.ReadAll(_kafka.BootstrapServers, input, Partitions))
        {
            var key = System.Text.Encoding.UTF8.GetString(record.Message.Key!);
            var parsed = CountingRecord.Parse(record.Message.Value);
            if (!ids.TryGetValue(key, out var amounts))
            {
                ids[key] = amounts = [];
            }

            amounts[parsed.Id] = parsed.Amount;
        }

        var held = ids.ToDictionary(e => e.Key, e => (e.Value.Values.Sum(), (long)e.Value.Count), StringComparer.Ordinal);
        figures.InputLostByBroker = produced.Values.Sum(v => v.Count) - held.Values.Sum(v => v.Item2);
        if (figures.InputLostByBroker != 0)
        {
            var lost = _history.Where(h => !ids.TryGetValue(h.Key, out var amounts) || !amounts.ContainsKey(h.Record.Id)).Select(h => $"{h.Key}#{h.Record.Id}").Distinct().Take(12);
            Log(string.Create(CultureInfo.InvariantCulture, $"the embedded broker does not hold {figures.InputLostByBroker} distinct input records it acknowledged, e.g. {string.Join(", ", lost)}; the oracle is that of the input it holds"));
        }

        return held;
    }

    /// <summary>
    /// For a few keys whose changelog state differs from the oracle: which ids the state lacks, where they sit in the
    /// input, and which changelog record (offset, epoch) holds the state, to find in the instances' logs who processed them.
    /// </summary>
    private void ExplainMissingIds(string input, string changelog, Dictionary<string, (long Total, long Count)> state, IReadOnlyDictionary<string, (long Total, long Count)> oracle)
    {
        var wrong = oracle.Where(e => !state.TryGetValue(e.Key, out var v) || v != e.Value).Select(e => e.Key).Take(3).ToHashSet(StringComparer.Ordinal);
        if (wrong.Count == 0)
        {
            Log("changelog state equals the oracle; the difference is in the outputs only");
            return;
        }

        var serde = new SumStateSerde();
        var last = new Dictionary<string, (SumState State, int Partition, long Offset, long Epoch)>(StringComparer.Ordinal);
        foreach (var (record, epoch) in CountingResults.ReplayChangelog(_kafka.BootstrapServers, changelog, Partitions).Accepted)
        {
            var key = System.Text.Encoding.UTF8.GetString(record.Message.Key!);
            if (wrong.Contains(key) && record.Message.Value is { } value)
            {
                var current = serde.Deserialize(value);
                if (last.TryGetValue(key, out var previous) && previous.Epoch == epoch && current.Revision <= previous.State.Revision)
                {
                    // One owner's writes are in revision order: an older revision after a newer one is a re-delivered write.
                    Log(string.Create(CultureInfo.InvariantCulture, $"{key}: revision {current.Revision} at {changelog}[{record.Partition.Value}]@{record.Offset.Value} after revision {previous.State.Revision} at @{previous.Offset}, both epoch {epoch}"));
                }

                last[key] = (current, record.Partition.Value, record.Offset.Value, epoch);
            }
        }

        var positions = new Dictionary<(string Key, long Id), List<string>>();
        foreach (var record in CountingResults.ReadAll(_kafka.BootstrapServers, input, Partitions))
        {
            var key = System.Text.Encoding.UTF8.GetString(record.Message.Key!);
            if (wrong.Contains(key))
            {
                var id = CountingRecord.Parse(record.Message.Value).Id;
                if (!positions.TryGetValue((key, id), out var at))
                {
                    positions[(key, id)] = at = [];
                }

                at.Add(string.Create(CultureInfo.InvariantCulture, $"{record.Partition.Value}@{record.Offset.Value}"));
            }
        }

        foreach (var key in wrong)
        {
            var ids = _history.Where(h => h.Key == key).Select(h => h.Record.Id).ToHashSet();
            var held = last.TryGetValue(key, out var found) ? found : default;
            var missing = ids.Where(id => held.State is null || !held.State.Seen.Contains(id)).Order().ToList();
            Log(string.Create(CultureInfo.InvariantCulture, $"{key}: state at {changelog}[{held.Partition}]@{held.Offset} epoch {held.Epoch} lacks {missing.Count} of {ids.Count} ids: ")
                + string.Join(", ", missing.Take(12).Select(id => $"{id} (input {string.Join('/', positions.GetValueOrDefault((key, id)) ?? [])})")));
        }
    }

    private void Log(string message)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"[{_clock.Elapsed.TotalSeconds,6:0.0}] {message}");
        if (Environment.GetEnvironmentVariable("CHAOS_TRACE") is { Length: > 0 } trace)
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
}
