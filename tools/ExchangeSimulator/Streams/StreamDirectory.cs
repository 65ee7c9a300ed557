using System.Collections.Frozen;
using System.Text;
using ExchangeSimulator.Market;

namespace ExchangeSimulator.Streams;

/// <summary>
/// Every stream name a market serves, numbered so the publisher finds a stream's subscribers by array
/// index instead of hashing a string per event. Names follow Binance: lower-case symbol, then
/// <c>@aggTrade</c>, a diff-depth variant (<see cref="DepthStreamVariant"/>) or <c>@kline_&lt;interval&gt;</c>.
/// A name outside the directory can still be subscribed to (Binance accepts it silently); it just never
/// delivers anything.
/// </summary>
public sealed class StreamDirectory
{
    private readonly FrozenDictionary<string, int> _ids;
    private readonly string[] _names;
    private readonly byte[][] _combinedPrefixes;

    public StreamDirectory(IReadOnlyList<SymbolSpec> symbols, MarketFlavor flavor, IReadOnlyList<KlineInterval> klineIntervals)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        ArgumentNullException.ThrowIfNull(klineIntervals);
        Symbols = symbols;
        DepthVariants = DepthStreamVariant.For(flavor);
        KlineIntervals = klineIntervals;
        StreamsPerSymbol = 1 + DepthVariants.Count + klineIntervals.Count;
        _names = new string[symbols.Count * StreamsPerSymbol];
        var ids = new Dictionary<string, int>(_names.Length, StringComparer.Ordinal);
        for (var s = 0; s < symbols.Count; s++)
        {
            var symbol = symbols[s];
            var first = s * StreamsPerSymbol;
            _names[first] = symbol.StreamName + "@aggTrade";
            for (var d = 0; d < DepthVariants.Count; d++)
            {
                _names[first + 1 + d] = symbol.StreamName + DepthVariants[d].Suffix;
            }

            for (var k = 0; k < klineIntervals.Count; k++)
            {
                _names[first + 1 + DepthVariants.Count + k] = $"{symbol.StreamName}@kline_{klineIntervals[k].Name}";
            }
        }

        for (var id = 0; id < _names.Length; id++)
        {
            ids.Add(_names[id], id);
        }

        _ids = ids.ToFrozenDictionary(StringComparer.Ordinal);
        _combinedPrefixes = Array.ConvertAll(_names, name => Encoding.UTF8.GetBytes($"{{\"stream\":\"{name}\",\"data\":"));
    }

    public IReadOnlyList<SymbolSpec> Symbols { get; }

    public IReadOnlyList<DepthStreamVariant> DepthVariants { get; }

    public IReadOnlyList<KlineInterval> KlineIntervals { get; }

    public int StreamsPerSymbol { get; }

    public int Count => _names.Length;

    public int AggTrade(int symbolIndex) => symbolIndex * StreamsPerSymbol;

    public int Depth(int symbolIndex, int variant) => (symbolIndex * StreamsPerSymbol) + 1 + variant;

    public int Kline(int symbolIndex, int interval) => (symbolIndex * StreamsPerSymbol) + 1 + DepthVariants.Count + interval;

    public bool TryFind(string name, out int streamId) => _ids.TryGetValue(name, out streamId);

    public string Name(int streamId) => _names[streamId];

    /// <summary><c>{"stream":"&lt;name&gt;","data":</c>: what a combined-stream message puts before the raw payload (then <c>}</c>).</summary>
    public ReadOnlySpan<byte> CombinedPrefix(int streamId) => _combinedPrefixes[streamId];
}
