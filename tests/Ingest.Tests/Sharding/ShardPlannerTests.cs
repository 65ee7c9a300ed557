using Ingest.Sharding;

namespace Ingest.Tests.Sharding;

public sealed class ShardPlannerTests
{
    private static readonly string[] Kinds = ["@aggTrade", "@depth@100ms", "@kline_1m"];

    [Fact]
    public void FromNothing_FillsConnectionsInOrder_KeepingSymbolsTogether()
    {
        var desired = Streams(["aaa", "bbb", "ccc", "ddd"], kinds: 3);
        var plan = ShardPlanner.Plan(desired, [], maxStreamsPerConnection: 7);
        Assert.Empty(plan.Existing);
        Assert.Equal(2, plan.NewShards.Count);
        Assert.Equal(desired[..6], plan.NewShards[0]);
        Assert.Equal(desired[6..], plan.NewShards[1]);
        Assert.Equal(0, plan.MovedStreams);
    }

    [Fact]
    public void RemovedStreams_FreeRoomThatNewSymbolsUseBeforeNewConnections()
    {
        IReadOnlyCollection<string>[] current = [Streams(["aaa", "bbb"], 3), Streams(["ccc"], 3)];
        var desired = Streams(["aaa", "ccc", "eee"], 3);
        var plan = ShardPlanner.Plan(desired, current, maxStreamsPerConnection: 6);
        Assert.Empty(plan.NewShards);
        Assert.Equal(Streams(["bbb"], 3), plan.Existing[0].Unsubscribe);
        Assert.Equal(Streams(["eee"], 3), plan.Existing[0].Subscribe);
        Assert.False(plan.Existing[1].HasChanges);
        Assert.Equal(0, plan.MovedStreams);
    }

    [Fact]
    public void SymbolOutgrowingItsConnection_MovesWhole()
    {
        IReadOnlyCollection<string>[] current = [[.. Streams(["aaa", "bbb"], 2), "ddd@aggTrade"], Streams(["ccc"], 2)];
        var desired = Streams(["aaa"], 3).Concat(Streams(["bbb", "ccc"], 2)).Append("ddd@aggTrade").ToArray();
        var plan = ShardPlanner.Plan(desired, current, maxStreamsPerConnection: 5);
        Assert.Equal(Streams(["aaa"], 2), plan.Existing[0].Unsubscribe);
        Assert.Equal(Streams(["aaa"], 3), plan.Existing[1].Subscribe);
        Assert.Equal(2, plan.MovedStreams);
        Assert.Empty(plan.NewShards);
    }

    [Fact]
    public void InheritedSplitsDuplicatesAndLoweredCaps_AreRepaired()
    {
        IReadOnlyCollection<string>[] current =
        [
            ["aaa@aggTrade", "aaa@depth@100ms", "bbb@aggTrade", "ccc@aggTrade", "ccc@depth@100ms"],
            ["aaa@kline_1m", "bbb@depth@100ms", "bbb@depth@100ms", "ccc@aggTrade"],
        ];
        var desired = Streams(["aaa", "bbb", "ccc"], 3);
        var plan = ShardPlanner.Plan(desired, current, maxStreamsPerConnection: 4);
        AssertInvariants(desired, current, plan, 4);
        Assert.Contains("ccc@aggTrade", plan.Existing[1].Unsubscribe);
    }

    [Fact]
    public void SymbolLargerThanAConnection_IsSplit()
    {
        var desired = Streams(["aaa"], 3);
        var plan = ShardPlanner.Plan(desired, [], maxStreamsPerConnection: 2);
        Assert.Equal(2, plan.NewShards.Count);
        Assert.Equal(desired, plan.NewShards.SelectMany(shard => shard));
    }

    [Theory]
    [InlineData(1234, 10)]
    [InlineData(1235, 3)]
    [InlineData(1236, 1024)]
    [InlineData(1237, 31)]
    public void RandomAddRemoveSequences_KeepAllInvariants_AndMoveNothing(int seed, int max)
    {
        var random = new Random(seed);
        var universe = Enumerable.Range(0, 400).Select(i => $"s{i:D3}usdt").ToArray();
        var kindsOf = universe.ToDictionary(symbol => symbol, _ => random.Next(1, 4));
        var active = new SortedSet<string>(StringComparer.Ordinal);
        var current = new List<IReadOnlyCollection<string>>();
        for (var step = 0; step < 60; step++)
        {
            foreach (var symbol in universe)
            {
                var roll = random.Next(100);
                if (roll < 15)
                {
                    active.Add(symbol);
                }
                else if (roll < 20)
                {
                    active.Remove(symbol);
                }
            }

            var desired = active.SelectMany(symbol => Kinds.Take(kindsOf[symbol]).Select(kind => symbol + kind)).ToArray();
            var plan = ShardPlanner.Plan(desired, current, max);
            AssertInvariants(desired, current, plan, max);
            Assert.Equal(0, plan.MovedStreams);
            current = Apply(plan, dropEmpty: random.Next(3) == 0);
        }
    }

    [Theory]
    [InlineData(1234, 6)]
    [InlineData(1235, 11)]
    public void RandomKindChanges_KeepInvariants_AndMoveOnlySymbolsThatOutgrewTheirConnection(int seed, int max)
    {
        var random = new Random(seed);
        var universe = Enumerable.Range(0, 150).Select(i => $"s{i:D3}usdt").ToArray();
        var kindsOf = universe.ToDictionary(symbol => symbol, _ => random.Next(0, 4));
        var current = new List<IReadOnlyCollection<string>>();
        for (var step = 0; step < 60; step++)
        {
            foreach (var symbol in universe)
            {
                if (random.Next(10) == 0)
                {
                    kindsOf[symbol] = random.Next(0, 4);
                }
            }

            var desired = universe.SelectMany(symbol => Kinds.Take(kindsOf[symbol]).Select(kind => symbol + kind)).ToArray();
            var plan = ShardPlanner.Plan(desired, current, max);
            AssertInvariants(desired, current, plan, max);
            current = Apply(plan, dropEmpty: false);
        }
    }

    private static void AssertInvariants(IReadOnlyList<string> desired, IReadOnlyList<IReadOnlyCollection<string>> current, ShardPlan plan, int max)
    {
        Assert.Equal(current.Count, plan.Existing.Count);
        var final = plan.Existing.Select(change => change.Streams).Concat(plan.NewShards).ToList();
        var shardOf = new Dictionary<string, int>();
        for (var i = 0; i < final.Count; i++)
        {
            Assert.InRange(final[i].Count, 0, max);
            Assert.All(plan.NewShards, shard => Assert.NotEmpty(shard));
            foreach (var stream in final[i])
            {
                Assert.True(shardOf.TryAdd(stream, i), $"{stream} is on two shards");
            }
        }

        Assert.Equal(desired.ToHashSet(), shardOf.Keys.ToHashSet());

        // A symbol lives on one connection unless it is bigger than a connection.
        foreach (var symbolStreams in desired.GroupBy(ShardPlanner.SymbolOf))
        {
            if (symbolStreams.Count() <= max)
            {
                Assert.Single(symbolStreams.Select(stream => shardOf[stream]).Distinct());
            }
        }

        // The diff takes each existing connection exactly from its old streams to its new ones.
        for (var i = 0; i < current.Count; i++)
        {
            var change = plan.Existing[i];
            var before = current[i].ToHashSet();
            var after = change.Streams.ToHashSet();
            Assert.Equal(after.Except(before).Order(), change.Subscribe.Order());
            Assert.Equal(before.Except(after).Order(), change.Unsubscribe.Order());
        }

        // Moves: exactly the streams that stay desired but change connection.
        var moved = 0;
        for (var i = 0; i < current.Count; i++)
        {
            moved += current[i].Count(stream => shardOf.TryGetValue(stream, out var now) && now != i && !current.Take(i).Any(earlier => earlier.Contains(stream)));
        }

        Assert.Equal(moved, plan.MovedStreams);

        // Existing connections are filled first: no symbol on a new connection would have fit an existing one.
        foreach (var stream in plan.NewShards.SelectMany(shard => shard))
        {
            var groupSize = desired.Count(other => ShardPlanner.SymbolOf(other) == ShardPlanner.SymbolOf(stream));
            Assert.All(plan.Existing, change => Assert.True(change.Streams.Count + Math.Min(groupSize, max) > max));
        }
    }

    private static List<IReadOnlyCollection<string>> Apply(ShardPlan plan, bool dropEmpty) =>
        [.. plan.Existing.Select(change => change.Streams).Where(streams => !dropEmpty || streams.Count > 0).Concat(plan.NewShards)];

    private static string[] Streams(string[] symbols, int kinds) => [.. symbols.SelectMany(symbol => Kinds.Take(kinds).Select(kind => symbol + kind))];
}
