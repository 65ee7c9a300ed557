namespace Ingest.Sharding;

/// <summary>The desired streams grouped by symbol, in the order given (by symbol, then kind), duplicates dropped.</summary>
internal sealed class SymbolGroups
{
    private readonly Dictionary<string, List<string>> _streams = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _order = new(StringComparer.Ordinal);
    private readonly HashSet<string> _desired = new(StringComparer.Ordinal);
    private readonly List<string> _symbols = [];

    public IReadOnlyList<string> Symbols => _symbols;

    public static SymbolGroups From(IReadOnlyList<string> desiredStreams)
    {
        var groups = new SymbolGroups();
        foreach (var stream in desiredStreams)
        {
            ArgumentException.ThrowIfNullOrEmpty(stream, nameof(desiredStreams));
            if (!groups._desired.Add(stream))
            {
                continue;
            }

            var symbol = ShardPlanner.SymbolOf(stream);
            if (!groups._streams.TryGetValue(symbol, out var streams))
            {
                streams = [];
                groups._streams.Add(symbol, streams);
                groups._order.Add(symbol, groups._symbols.Count);
                groups._symbols.Add(symbol);
            }

            streams.Add(stream);
        }

        return groups;
    }

    public IReadOnlyList<string> Streams(string symbol) => _streams.TryGetValue(symbol, out var streams) ? streams : [];

    public bool IsDesired(string stream) => _desired.Contains(stream);

    /// <summary>Orders symbols as the desired list does, so new connections get runs of neighbouring symbols deterministically.</summary>
    public int CompareOrder(string left, string right) => _order[left].CompareTo(_order[right]);
}
