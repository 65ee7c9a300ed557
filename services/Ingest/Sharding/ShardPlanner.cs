namespace Ingest.Sharding;

/// <summary>
/// Decides which connection carries which streams, as a diff from the current plan. Rules, in priority order:
/// never more than <c>maxStreamsPerConnection</c> on a connection (Binance's limit, or a lower one so one
/// connection's messages are processed in time); all streams of a symbol on one connection, so a dropped
/// connection loses whole symbols and the backfill and gap reports stay per symbol; nothing moves that
/// need not (a move is an unsubscribe/subscribe window for that stream); existing connections are filled
/// before new ones are opened (each connection costs a handshake and counts against 300 per 5 minutes).
/// Planning runs on configuration changes, not per message, so clarity wins over allocation here.
/// </summary>
public static class ShardPlanner
{
    /// <summary>Plans the change from <paramref name="currentShards"/> to <paramref name="desiredStreams"/>.</summary>
    /// <param name="desiredStreams">Stream names, ordered by symbol then kind; duplicates are ignored.</param>
    /// <param name="currentShards">The streams each open connection carries now.</param>
    /// <param name="maxStreamsPerConnection">The cap per connection. A symbol with more streams than this is split (the one exception to keeping symbols together).</param>
    public static ShardPlan Plan(IReadOnlyList<string> desiredStreams, IReadOnlyList<IReadOnlyCollection<string>> currentShards, int maxStreamsPerConnection)
    {
        ArgumentNullException.ThrowIfNull(desiredStreams);
        ArgumentNullException.ThrowIfNull(currentShards);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxStreamsPerConnection);

        var groups = SymbolGroups.From(desiredStreams);
        var shards = new List<List<string>>(currentShards.Count);
        var owner = new Dictionary<string, int>(StringComparer.Ordinal);
        var original = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < currentShards.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(currentShards[i]);
            var kept = new List<string>();
            foreach (var stream in currentShards[i])
            {
                // A stream on two shards stays on the first one it was found on.
                if (groups.IsDesired(stream) && owner.TryAdd(stream, i))
                {
                    kept.Add(stream);
                    original.Add(stream, i);
                }
            }

            shards.Add(kept);
        }

        var homeless = new List<string>();
        var home = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var symbol in groups.Symbols)
        {
            var at = HomeOf(groups.Streams(symbol), owner);
            if (at < 0)
            {
                homeless.Add(symbol);
                continue;
            }

            // Streams of the symbol found elsewhere (a split inherited from an older plan) are pulled home.
            foreach (var stream in groups.Streams(symbol))
            {
                if (owner.TryGetValue(stream, out var shard) && shard != at)
                {
                    shards[shard].Remove(stream);
                    owner.Remove(stream);
                }
            }

            home[symbol] = at;
        }

        EvictOverfull(shards, groups, home, owner, homeless, maxStreamsPerConnection);
        foreach (var symbol in groups.Symbols)
        {
            if (!home.TryGetValue(symbol, out var at))
            {
                continue;
            }

            var missing = 0;
            foreach (var stream in groups.Streams(symbol))
            {
                missing += owner.ContainsKey(stream) ? 0 : 1;
            }

            if (shards[at].Count + missing <= maxStreamsPerConnection)
            {
                AddMissing(shards[at], groups.Streams(symbol), owner, at);
            }
            else
            {
                // The symbol grew past its connection's room: it moves as a whole rather than split.
                RemoveSymbol(shards[at], groups.Streams(symbol), owner);
                home.Remove(symbol);
                homeless.Add(symbol);
            }
        }

        homeless.Sort(groups.CompareOrder);
        var newShards = new List<List<string>>();
        foreach (var symbol in homeless)
        {
            Place(groups.Streams(symbol), shards, newShards, maxStreamsPerConnection);
        }

        return Diff(currentShards, shards, newShards, original);
    }

    /// <summary>The symbol part of a stream name: <c>btcusdt@kline_1m</c> → <c>btcusdt</c>.</summary>
    public static string SymbolOf(string stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var at = stream.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? stream : stream[..at];
    }

    /// <summary>The shard holding most of the symbol's kept streams (lowest index on ties); -1 if none.</summary>
    private static int HomeOf(IReadOnlyList<string> streams, Dictionary<string, int> owner)
    {
        int best = -1, bestCount = 0;
        var counts = new Dictionary<int, int>();
        foreach (var stream in streams)
        {
            if (owner.TryGetValue(stream, out var shard))
            {
                var count = counts[shard] = counts.GetValueOrDefault(shard) + 1;
                if (count > bestCount || (count == bestCount && shard < best))
                {
                    best = shard;
                    bestCount = count;
                }
            }
        }

        return best;
    }

    /// <summary>A lowered cap can leave a shard overfull: whole symbols leave it, last placed first, until it fits.</summary>
    private static void EvictOverfull(
        List<List<string>> shards, SymbolGroups groups, Dictionary<string, int> home, Dictionary<string, int> owner, List<string> homeless, int max)
    {
        for (var i = 0; i < shards.Count; i++)
        {
            while (shards[i].Count > max)
            {
                var symbol = SymbolOf(shards[i][^1]);
                RemoveSymbol(shards[i], groups.Streams(symbol), owner);
                home.Remove(symbol);
                homeless.Add(symbol);
            }
        }
    }

    private static void RemoveSymbol(List<string> shard, IReadOnlyList<string> streams, Dictionary<string, int> owner)
    {
        foreach (var stream in streams)
        {
            if (owner.Remove(stream))
            {
                shard.Remove(stream);
            }
        }
    }

    private static void AddMissing(List<string> shard, IReadOnlyList<string> streams, Dictionary<string, int> owner, int index)
    {
        foreach (var stream in streams)
        {
            if (owner.TryAdd(stream, index))
            {
                shard.Add(stream);
            }
        }
    }

    /// <summary>First fit over existing shards, then new ones; a symbol larger than a whole connection is split.</summary>
    private static void Place(IReadOnlyList<string> streams, List<List<string>> shards, List<List<string>> newShards, int max)
    {
        for (var start = 0; start < streams.Count; start += max)
        {
            var count = Math.Min(max, streams.Count - start);
            var target = FirstFit(shards, count, max) ?? FirstFit(newShards, count, max);
            if (target is null)
            {
                target = [];
                newShards.Add(target);
            }

            for (var i = start; i < start + count; i++)
            {
                target.Add(streams[i]);
            }
        }
    }

    private static List<string>? FirstFit(List<List<string>> shards, int count, int max)
    {
        foreach (var shard in shards)
        {
            if (shard.Count + count <= max)
            {
                return shard;
            }
        }

        return null;
    }

    private static ShardPlan Diff(IReadOnlyList<IReadOnlyCollection<string>> current, List<List<string>> shards, List<List<string>> newShards, Dictionary<string, int> original)
    {
        var changes = new ShardChange[shards.Count];
        var moved = 0;
        for (var i = 0; i < shards.Count; i++)
        {
            var before = new HashSet<string>(current[i], StringComparer.Ordinal);
            var after = new HashSet<string>(shards[i], StringComparer.Ordinal);
            var subscribe = new List<string>();
            foreach (var stream in shards[i])
            {
                if (!before.Contains(stream))
                {
                    subscribe.Add(stream);
                    moved += original.ContainsKey(stream) ? 1 : 0;
                }
            }

            var unsubscribe = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var stream in current[i])
            {
                if (!after.Contains(stream) && seen.Add(stream))
                {
                    unsubscribe.Add(stream);
                }
            }

            changes[i] = new ShardChange(i, shards[i], subscribe, unsubscribe);
        }

        foreach (var shard in newShards)
        {
            foreach (var stream in shard)
            {
                moved += original.ContainsKey(stream) ? 1 : 0;
            }
        }

        return new ShardPlan(changes, newShards, moved);
    }
}
