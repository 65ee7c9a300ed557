using System.Globalization;
using System.Text;
using TakerVolume.Benchmarks.Kafka;
using TakerVolume.Topology;

namespace TakerVolume.Benchmarks.Memory;

/// <summary>The memory mode's Markdown tables.</summary>
internal static class MemoryReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly int[] ClassStarts = [1, 2, 11, 101];

    public static string Render(BenchmarkOptions options, IReadOnlyList<MemoryMarket> markets)
    {
        var report = new StringBuilder();
        report.AppendLine(string.Create(Invariant,
            $"## Memory: state per symbol after {options.MemoryMinutes} minutes of exchange time, busiest symbol at {options.BusiestRate:N0} trades/s"));
        report.AppendLine();
        report.AppendLine("Heap: live managed bytes after full compacting collections, with the instance running after it drained its input, minus before it started; "
            + "the pass-through (B) over the same input measured the same way is the runtime and its clients without state. Entries and bytes: the stores' live "
            + "state read back from their changelogs (latest value per key; bytes = key + value as serialized). The changelog volume is a catch-up's "
            + "(the instance drains the whole input as fast as it can, so many trades share one commit); the latency section above gives the live volume.");
        report.AppendLine();
        report.AppendLine("| Market | Symbols | Nominal trades/s (all; busiest) | Minutes fed | Trades | TV heap Δ, MB | B heap Δ, MB | (TV − B) ÷ symbols, KB | Live entries: dedup / tumbling / sliding | Serialized state, MB | Changelog written per trade: records / bytes |");
        report.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var market in markets)
        {
            foreach (var point in market.Points)
            {
                var stores = point.Stores.ToDictionary(s => s.Store, StringComparer.Ordinal);
                report.AppendLine(string.Create(Invariant,
                    $"| {market.Label} | {market.Universe.Symbols.Count:N0} | {market.Rate:N0}; {market.Rate * market.Universe.TopShare:N0} | {point.Minutes:N0} | {point.Trades:N0} | "
                    + $"{point.HeapDelta / 1e6:N1} | {market.PassThroughHeapDelta / 1e6:N1} | **{(point.HeapDelta - market.PassThroughHeapDelta) / 1e3 / market.Universe.Symbols.Count:N1}** | "
                    + $"{stores[TakerVolumeStores.Dedup].LiveEntries:N0} / {stores[TakerVolumeStores.Tumbling].LiveEntries:N0} / {stores[TakerVolumeStores.Sliding].LiveEntries:N0} | "
                    + $"{point.Stores.Sum(s => s.LiveBytes) / 1e6:N2} | {point.Stores.Sum(s => s.Records) / (double)point.Trades:N3} / {point.Stores.Sum(s => s.Bytes) / (double)point.Trades:N0} |"));
            }
        }

        report.AppendLine();
        report.AppendLine("| Market | Symbols by rank | Trades/s per symbol fed (min–max) | Sliding entries (seconds with trades) per symbol | ms buckets per sliding entry | Serialized bytes per symbol: sliding / tumbling / dedup | Tumbling windows per symbol, bytes per window |");
        report.AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var market in markets)
        {
            var point = market.Points[0];
            foreach (var (name, from, to) in Classes(market.Universe.Symbols.Count))
            {
                var symbols = market.Universe.Symbols.Skip(from - 1).Take(to - from + 1).ToList();
                var sliding = Sum(point, TakerVolumeStores.Sliding, symbols.Select(s => s.Name));
                var tumbling = Sum(point, TakerVolumeStores.Tumbling, symbols.Select(s => s.Name));
                var dedup = Sum(point, TakerVolumeStores.Dedup, symbols.Select(s => s.Name));
                var n = (double)symbols.Count;
                report.AppendLine(string.Create(Invariant,
                    $"| {market.Label} | {name} | {Rates(point, symbols.Select(s => s.Name))} | {sliding.Entries / n:N1} | "
                    + $"{(sliding.Entries == 0 ? 0 : sliding.Buckets / (double)sliding.Entries):N1} | **{sliding.Bytes / n:N0}** / {tumbling.Bytes / n:N0} / {dedup.Bytes / n:N0} | "
                    + $"{tumbling.Entries / n:N1}, {(tumbling.Entries == 0 ? 0 : tumbling.Bytes / (double)tumbling.Entries):N0} |"));
            }
        }

        report.AppendLine();
        report.Append(Derived(options, markets));
        return report.ToString();
    }

    /// <summary>Rank classes: the busiest, the next nine, the rest of the first hundred, the tail.</summary>
    private static IEnumerable<(string Name, int From, int To)> Classes(int count)
    {
        var bounds = ClassStarts.Where(b => b <= count).ToList();
        for (var i = 0; i < bounds.Count; i++)
        {
            var to = i + 1 < bounds.Count ? bounds[i + 1] - 1 : count;
            yield return (bounds[i] == to ? $"#{to}" : $"#{bounds[i]}–{to}", bounds[i], to);
        }
    }

    private static string Rates(MemoryPoint point, IEnumerable<string> symbols)
    {
        var seconds = point.Minutes * 60;
        var rates = symbols.Select(s => point.TradesBySymbol.GetValueOrDefault(s) / seconds).ToList();
        return rates.Count == 1 ? rates[0].ToString("N2", Invariant) : string.Create(Invariant, $"{rates.Min():N2}–{rates.Max():N2}");
    }

    private static SymbolState Sum(MemoryPoint point, string store, IEnumerable<string> symbols)
    {
        var census = point.Stores.First(s => s.Store == store);
        var total = new SymbolState();
        foreach (var symbol in symbols)
        {
            if (census.Live.TryGetValue(symbol, out var state))
            {
                total.Entries += state.Entries;
                total.Bytes += state.Bytes;
                total.Buckets += state.Buckets;
            }
        }

        return total;
    }

    private static string Derived(BenchmarkOptions options, IReadOnlyList<MemoryMarket> markets)
    {
        var lines = new StringBuilder();
        var zipf = markets.Where(m => m.Points.Count == 1).OrderBy(m => m.Universe.Symbols.Count).ToList();
        for (var i = 1; i < zipf.Count; i++)
        {
            var (small, large) = (zipf[i - 1], zipf[i]);
            var added = large.Universe.Symbols.Count - small.Universe.Symbols.Count;
            var tail = large.Universe.Symbols.Skip(small.Universe.Symbols.Count).ToList();
            lines.AppendLine(string.Create(Invariant,
                $"- Tail symbols #{small.Universe.Symbols.Count + 1}–{large.Universe.Symbols.Count} ({Rates(large.Points[0], tail.Select(s => s.Name))} trades/s each): "
                + $"(TV heap Δ of {large.Label} − that of {small.Label}) ÷ {added:N0} = **{(large.Points[0].HeapDelta - small.Points[0].HeapDelta) / 1e3 / added:N1} KB per symbol** "
                + $"(the first symbols are the same at the same rates in both markets)."));
        }

        foreach (var market in markets.Where(m => m.Points.Count > 1))
        {
            var first = market.Points[0];
            var last = market.Points[^1];
            var sliding = (First: first.Stores.First(s => s.Store == TakerVolumeStores.Sliding), Last: last.Stores.First(s => s.Store == TakerVolumeStores.Sliding));
            var n = market.Universe.Symbols.Count;
            lines.AppendLine(string.Create(Invariant,
                $"- Bounded ({market.Label}, {n} symbols at {market.Rate / n:N0} trades/s): from {first.Minutes:N0} to {last.Minutes:N0} minutes the trades fed grew {last.Trades / (double)first.Trades:N2}×; "
                + $"the sliding state per symbol went from {sliding.First.LiveEntries / (double)n:N0} to {sliding.Last.LiveEntries / (double)n:N0} entries and from {sliding.First.LiveBytes / 1e3 / n:N0} to {sliding.Last.LiveBytes / 1e3 / n:N0} KB; "
                + $"the heap Δ less the pass-through's, per symbol, from {(first.HeapDelta - market.PassThroughHeapDelta) / 1e3 / n:N0} to {(last.HeapDelta - market.PassThroughHeapDelta) / 1e3 / n:N0} KB."));
        }

        var tumbling = markets.SelectMany(m => m.Points.Take(1).Select(p => (Census: p.Stores.First(s => s.Store == TakerVolumeStores.Tumbling), Symbols: m.Universe.Symbols.Count)))
            .Where(t => t.Census.LiveEntries > 0).ToList();
        if (tumbling.Count > 0)
        {
            var windows = (int)(TimeSpan.FromHours(6) / TimeSpan.FromMinutes(15)) + 1;
            var bytes = tumbling.Select(t => t.Census.LiveBytes / (double)t.Census.LiveEntries).ToList();
            var held = tumbling.Select(t => t.Census.LiveEntries / (double)t.Symbols).ToList();
            lines.AppendLine(string.Create(Invariant,
                $"- Tumbling windows are kept `WindowRetention` (6 h): after {options.MemoryMinutes} minutes a symbol held {held.Min():N1}–{held.Max():N1} of them; at steady state up to {windows}. "
                + $"At the measured {bytes.Min():N0}–{bytes.Max():N0} serialized bytes per window that is {bytes.Min() * windows / 1e3:N1}–{bytes.Max() * windows / 1e3:N1} KB per symbol "
                + $"(arithmetic from the measured size, not measured after 6 hours)."));
        }

        lines.AppendLine();
        return lines.ToString();
    }
}
