namespace TakerVolume.Benchmarks.Latency;

/// <summary>One trade of the live feed: which symbol, its aggregate id, its exchange time, and when it was produced (µs, <see cref="WallClock"/>).</summary>
internal readonly record struct ProducedTrade(int Symbol, long AggregateId, long TimeMs, long ProducedUs);

/// <summary>
/// The live feed's trades in production order, written by the producer and read by the observer on another thread:
/// an entry is written before its record is produced and published after (<see cref="Count"/>), so a record the
/// observer sees is always of an entry it can read.
/// </summary>
internal sealed class ProducedTrades(int capacity)
{
    private readonly ProducedTrade[] _entries = new ProducedTrade[capacity];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public int Capacity => _entries.Length;

    public ProducedTrade this[int index] => _entries[index];

    /// <summary>Producer side only.</summary>
    public void Add(in ProducedTrade trade)
    {
        _entries[_count] = trade;
        Volatile.Write(ref _count, _count + 1);
    }
}
