using TakerVolume.Parsing;
using TakerVolume.Sliding;
using TakerVolume.Trades;
using TakerVolume.Windows;
using static TakerVolume.Tests.Logic.Exact;

namespace TakerVolume.Tests.Logic;

public sealed class TrailingWindowsTests
{
    private const long Length = 900_000;
    private const long Now = 1_700_000_123_456;
    private const string Symbol = "BTCUSDT";

    [Fact]
    public void TryAdd_AtExactlyNowMinusLength_IsOutAndOneMillisecondLaterIsIn()
    {
        var store = new SortedWindowStore<string, SlidingSecond>();
        var windows = new TrailingWindows(store, Length);

        Assert.False(windows.TryAdd(Symbol, Now - Length, Figures("1.00", "1"), Now));
        Assert.False(windows.Symbols.ContainsKey(Symbol));
        Assert.Equal(0, store.Count);

        Assert.True(windows.TryAdd(Symbol, Now - Length + 1, Figures("2.00", "1"), Now));
        windows.Advance(Symbol, Now);
        Assert.Equal(2m, windows.Symbols[Symbol].Totals.TakerBuyQuote);
        Assert.Equal(1, windows.Symbols[Symbol].Totals.AggregateTradeCount);

        // One millisecond later the same trade sits at exactly now - length: out.
        Assert.True(windows.Advance(Symbol, Now + 1));
        Assert.True(windows.Symbols[Symbol].Totals.IsEmpty);
        Assert.Equal("0", T(windows.Symbols[Symbol].Totals.TakerBuyQuote));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void Advance_TradeAtNow_StaysForLengthMinusOneMilliseconds()
    {
        var store = new SortedWindowStore<string, SlidingSecond>();
        var windows = new TrailingWindows(store, Length);
        Assert.True(windows.TryAdd(Symbol, Now, Figures("3.00", "2"), Now));

        Assert.False(windows.Advance(Symbol, Now + Length - 1));
        Assert.Equal(6m, windows.Symbols[Symbol].Totals.TakerBuyQuote);

        Assert.True(windows.Advance(Symbol, Now + Length));
        Assert.True(windows.Symbols[Symbol].Totals.IsEmpty);
        Assert.False(windows.Advance(Symbol, Now + Length + 5));
    }

    [Fact]
    public void Advance_CutoffInsideASecond_KeepsTheRestOfThatSecondAndDeletesSecondsThatEmptied()
    {
        var store = new SortedWindowStore<string, SlidingSecond>();
        var windows = new TrailingWindows(store, 10_000);
        const long Second = 1_700_000_000_000;
        windows.TryAdd(Symbol, Second + 100, Figures("1", "1"), Second + 2_000);
        windows.TryAdd(Symbol, Second + 900, Figures("10", "1"), Second + 2_000);
        windows.TryAdd(Symbol, Second + 900, Figures("10", "1", buyerIsMaker: true), Second + 2_000);
        windows.TryAdd(Symbol, Second + 1_000, Figures("100", "1"), Second + 2_000);
        Assert.Equal([(Symbol, Second), (Symbol, Second + 1_000)], store.Entries());
        Assert.True(store.TryGet(Symbol, Second, out var first));
        Assert.Equal([Second + 100, Second + 900], first.Buckets.Select(bucket => bucket.TimeMs));

        // Cutoff at Second + 500: the trade at +100 leaves, +900 and the next second stay.
        Assert.True(windows.Advance(Symbol, Second + 10_500));
        var totals = windows.Symbols[Symbol].Totals;
        Assert.Equal(110m, totals.TakerBuyQuote);
        Assert.Equal(10m, totals.TakerSellQuote);
        Assert.True(store.TryGet(Symbol, Second, out first));
        Assert.Equal([Second + 900], first.Buckets.Select(bucket => bucket.TimeMs));

        // Cutoff at Second + 999: the first second is empty and deleted; the next one is untouched.
        Assert.True(windows.Advance(Symbol, Second + 10_999));
        Assert.Equal([(Symbol, Second + 1_000)], store.Entries());
        Assert.Equal(100m, windows.Symbols[Symbol].Totals.TakerBuyQuote);
        Assert.Equal(0m, windows.Symbols[Symbol].Totals.TakerSellQuote);
        Assert.Equal(Second + 1_000, windows.LatestTradeTimeMs());
    }

    [Fact]
    public void Constructor_OverAFilledStore_RebuildsTheTotals()
    {
        var store = new SortedWindowStore<string, SlidingSecond>();
        var windows = new TrailingWindows(store, Length);
        windows.TryAdd(Symbol, Now - 5_000, Figures("1.5", "2"), Now);
        windows.TryAdd(Symbol, Now, Figures("2.25", "4", buyerIsMaker: true), Now);
        windows.TryAdd("ETHUSDT", Now - 1, Figures("3", "1"), Now);

        var restored = new TrailingWindows(store.Restored(SlidingSecondSerde.Instance), Length);

        Assert.Equal(3m, restored.Symbols[Symbol].Totals.TakerBuyQuote);
        Assert.Equal(9m, restored.Symbols[Symbol].Totals.TakerSellQuote);
        Assert.Equal(2, restored.Symbols[Symbol].Totals.AggregateTradeCount);
        Assert.Equal(3m, restored.Symbols["ETHUSDT"].Totals.TakerBuyQuote);
        Assert.Equal(Now, restored.LatestTradeTimeMs());
        Assert.Equal(-1, new TrailingWindows(new SortedWindowStore<string, SlidingSecond>(), Length).LatestTradeTimeMs());
    }

    [Fact]
    public void Advance_UnknownSymbol_ChangesNothing()
    {
        var windows = new TrailingWindows(new SortedWindowStore<string, SlidingSecond>(), Length);

        Assert.False(windows.Advance(Symbol, Now));
        Assert.Empty(windows.Symbols);
    }

    [Fact]
    public void SlidingSecondSerde_RoundTrip_KeepsBucketsAndScales()
    {
        var second = new SlidingSecond();
        second.Add(1_700_000_000_900, Figures("1.50000000", "2.00000000"));
        second.Add(1_700_000_000_100, Figures("0.00000001", "0.00000001", buyerIsMaker: true));
        second.Add(1_700_000_000_900, Figures("1", "1"));

        var bytes = SlidingSecondSerde.Instance.Serialize(second);
        var copy = SlidingSecondSerde.Instance.Deserialize(bytes);

        Assert.Equal([1_700_000_000_100L, 1_700_000_000_900L], copy.Buckets.Select(bucket => bucket.TimeMs));
        Assert.Equal("0.0000000000000001", T(copy.Buckets[0].Totals.TakerSellQuote));
        Assert.Equal("4.0000000000000000", T(copy.Buckets[1].Totals.TakerBuyQuote));
        Assert.Equal(2, copy.Buckets[1].Totals.AggregateTradeCount);
        Assert.Equal(bytes, SlidingSecondSerde.Instance.Serialize(copy));
    }

    /// <summary>
    /// Random trades of several symbols with many on the same millisecond and second, late trades inside and outside
    /// the window, a clock that advances by steps of every size and restores from the store's serialized values: after
    /// every step each symbol's running totals equal a brute-force sum over the accepted trades in (now − L, now], and
    /// the store holds exactly the seconds that still have such a trade (bounded state).
    /// </summary>
    [Theory]
    [InlineData(900_000L)]
    [InlineData(3_000L)]
    [InlineData(1_000L)]
    [InlineData(1_500L)]
    public void TryAddAndAdvance_RandomTradesAndClock_EqualABruteForceSumOverTheWindow(long length)
    {
        LogicSeeds.Check(60, seed => Simulate(new Random(seed), length, steps: 400));
    }

    private sealed class Sent(string symbol, ParsedAggTrade trade)
    {
        public string Symbol { get; } = symbol;

        public ParsedAggTrade Trade { get; } = trade;

        public long TimeMs => Trade.TradeTimeMs;

        /// <summary>Removed by an earlier Advance (the window passed it).</summary>
        public bool Expired { get; set; }
    }

    private static void Simulate(Random random, long length, int steps)
    {
        string[] symbols = ["BTCUSDT", "ETHUSDT", "XRPUSDT"];
        var store = new SortedWindowStore<string, SlidingSecond>();
        var windows = new TrailingWindows(store, length);
        var accepted = new List<Sent>();
        var now = 1_700_000_000_000 + random.Next(0, 1_000_000);
        var aggregateId = 1L;
        var lastTime = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var step = 0; step < steps; step++)
        {
            var context = $"step {step}, now {now}, length {length}";
            if (random.Next(4) == 0)
            {
                now += random.Next(6) switch
                {
                    0 => 0,
                    1 => 1,
                    2 => random.Next(1, 1_000),
                    3 => random.NextInt64(1, (length / 3) + 2),
                    4 => length - 1 + random.Next(0, 3),
                    _ => random.NextInt64(length, 2 * length),
                };
            }
            else
            {
                var symbol = symbols[random.Next(symbols.Length)];
                var sameSymbol = lastTime.GetValueOrDefault(symbol, now);
                var time = random.Next(9) switch
                {
                    0 => now,
                    1 => now - random.Next(0, 1_000),
                    2 => now - length + 1,
                    3 => now - length,
                    4 => now - random.NextInt64(0, length + (length / 5)),
                    5 => now + random.Next(0, 3),
                    6 => now + random.Next(0, 1_500),
                    7 => sameSymbol,
                    _ => now - (now % 1000) + random.Next(0, 1_000), // somewhere in the current second
                };
                now = Math.Max(now, time);
                var first = aggregateId * 10;
                var trade = Trade(aggregateId++, RandomAmount(random, random.Next(0, 6), random.Next(0, 9)), RandomAmount(random, random.Next(0, 3), random.Next(0, 9)), first, first + random.Next(0, 3), time, random.Next(2) == 0);

                var added = windows.TryAdd(symbol, time, TradeFigures.Of(trade), now);

                Assert.True(added == time > now - length, $"{context}: TryAdd of a trade at {time} returned {added}");
                if (added)
                {
                    accepted.Add(new Sent(symbol, trade));
                    lastTime[symbol] = time;
                }
            }

            if (random.Next(50) == 0)
            {
                // A fresh instance over the same store, then a restore from the serialized seconds: both see what the
                // running instance holds before this step's advance (trades the clock has just passed included).
                var live = symbols.ToDictionary(symbol => symbol, symbol => Reference(accepted.Where(sent => sent.Symbol == symbol && !sent.Expired)));
                var fresh = new TrailingWindows(store, length);
                store = store.Restored(SlidingSecondSerde.Instance);
                windows = new TrailingWindows(store, length);
                foreach (var symbol in symbols)
                {
                    live[symbol].AssertEqual(TotalsOf(fresh, symbol), $"{context}, fresh instance, {symbol}:");
                    live[symbol].AssertEqual(TotalsOf(windows, symbol), $"{context}, restored, {symbol}:");
                }
            }

            foreach (var symbol in symbols)
            {
                var leaving = accepted.Where(sent => sent.Symbol == symbol && !sent.Expired && sent.TimeMs <= now - length).ToList();
                if (windows.Symbols.TryGetValue(symbol, out var before))
                {
                    before.Changed = false;
                }

                var changed = windows.Advance(symbol, now);

                Assert.True(changed == leaving.Count > 0, $"{context}: Advance({symbol}) returned {changed} with {leaving.Count} trades leaving");
                leaving.ForEach(sent => sent.Expired = true);

                var inWindow = accepted.Where(sent => sent.Symbol == symbol && sent.TimeMs > now - length && sent.TimeMs <= now).ToList();
                Assert.True(inWindow.All(sent => !sent.Expired), $"{context}: a trade inside the window was marked as expired");
                Reference(inWindow).AssertEqual(TotalsOf(windows, symbol), $"{context}, {symbol}:");
                if (inWindow.Count == 0 && windows.Symbols.TryGetValue(symbol, out var empty))
                {
                    Assert.Equal("0", T(empty.Totals.TakerBuyQuote));
                    Assert.Equal("0", T(empty.Totals.TakerSellBase));
                }

                if (windows.Symbols.TryGetValue(symbol, out var after))
                {
                    Assert.True(after.Changed == changed, $"{context}: Changed is {after.Changed} after Advance returned {changed}");
                }
            }

            // Bounded state: exactly the seconds holding a trade still in some window, each with its milliseconds.
            var stillIn = accepted.Where(sent => !sent.Expired).ToList();
            var expectedEntries = stillIn
                .Select(sent => (sent.Symbol, Start: sent.TimeMs - (sent.TimeMs % 1000)))
                .Distinct()
                .OrderBy(entry => entry.Symbol, StringComparer.Ordinal)
                .ThenBy(entry => entry.Start)
                .ToList();
            Assert.Equal(expectedEntries, store.Entries());
            foreach (var (symbol, start) in expectedEntries)
            {
                Assert.True(store.TryGet(symbol, start, out var second));
                var expectedBuckets = stillIn
                    .Where(sent => sent.Symbol == symbol && sent.TimeMs - (sent.TimeMs % 1000) == start)
                    .GroupBy(sent => sent.TimeMs)
                    .OrderBy(group => group.Key)
                    .Select(group => (group.Key, (long)group.Count()))
                    .ToList();
                Assert.Equal(expectedBuckets, second.Buckets.Select(bucket => (bucket.TimeMs, bucket.Totals.AggregateTradeCount)));
            }

            Assert.Equal(stillIn.Count == 0 ? -1 : stillIn.Max(sent => sent.TimeMs), windows.LatestTradeTimeMs());

            // Trades that left every window play no further part (keeps the check linear).
            accepted = stillIn;
        }
    }

    private static ReferenceTotals Reference(IEnumerable<Sent> trades)
    {
        var reference = new ReferenceTotals();
        foreach (var sent in trades)
        {
            reference.Add(sent.Trade);
        }

        return reference;
    }

    private static VolumeTotals TotalsOf(TrailingWindows windows, string symbol) =>
        windows.Symbols.TryGetValue(symbol, out var totals) ? totals.Totals : new VolumeTotals();

    private static TradeFigures Figures(string price, string quantity, bool buyerIsMaker = false) =>
        TradeFigures.Of(Trade(1, price, quantity, 1, 1, 0, buyerIsMaker));
}
