using Streaming.Processing.State;
using TakerVolume.Trades;
using TakerVolume.Windows;

namespace TakerVolume.Sliding;

/// <summary>
/// Every symbol's trailing window (T − length, T] over one task's sliding store, kept incrementally: a trade is added
/// to its millisecond and to the symbol's running totals; as T advances, the milliseconds that leave are subtracted.
/// Nothing is ever re-summed except once after a restore. Exact to the millisecond.
/// </summary>
internal sealed class TrailingWindows
{
    private readonly IWindowStore<string, SlidingSecond> _store;
    private readonly long _lengthMs;
    private readonly Dictionary<string, TrailingTotals> _symbols = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<long, SlidingSecond>> _leaving = [];

    public TrailingWindows(IWindowStore<string, SlidingSecond> store, long lengthMs)
    {
        _store = store;
        _lengthMs = lengthMs;
        foreach (var (symbol, _, second) in store.All())
        {
            var totals = Get(symbol);
            foreach (var bucket in second.Buckets)
            {
                totals.Totals.Add(bucket.Totals);
            }

            totals.Changed = true;
        }
    }

    public long LengthMs => _lengthMs;

    public IReadOnlyDictionary<string, TrailingTotals> Symbols => _symbols;

    /// <summary>The newest trade time kept (for the stream time after a restore), or -1.</summary>
    public long LatestTradeTimeMs()
    {
        var latest = -1L;
        foreach (var (_, _, second) in _store.All())
        {
            if (second.Buckets.Count > 0)
            {
                latest = Math.Max(latest, second.Buckets[^1].TimeMs);
            }
        }

        return latest;
    }

    /// <summary>Adds a trade of time <paramref name="timeMs"/> if it is still inside the window ending at <paramref name="nowMs"/>; false if it has already left.</summary>
    public bool TryAdd(string symbol, long timeMs, in TradeFigures trade, long nowMs)
    {
        if (timeMs <= nowMs - _lengthMs)
        {
            return false;
        }

        var secondStart = timeMs - (timeMs % 1000);
        if (!_store.TryGet(symbol, secondStart, out var second))
        {
            second = new SlidingSecond();
        }

        second.Add(timeMs, trade);
        _store.Put(symbol, secondStart, second);
        var totals = Get(symbol);
        totals.Totals.Add(trade);
        totals.Changed = true;
        return true;
    }

    /// <summary>Subtracts what left the symbol's window by <paramref name="nowMs"/>; true if its totals changed.</summary>
    public bool Advance(string symbol, long nowMs)
    {
        if (!_symbols.TryGetValue(symbol, out var totals))
        {
            return false;
        }

        var cutoff = nowMs - _lengthMs;
        if (cutoff <= totals.ExpiredThroughMs)
        {
            return false;
        }

        totals.ExpiredThroughMs = cutoff;
        _leaving.Clear();
        _leaving.AddRange(_store.Fetch(symbol, long.MinValue, cutoff - (cutoff % 1000)));
        var changed = false;
        foreach (var (secondStart, second) in _leaving)
        {
            if (!second.RemoveThrough(cutoff, totals.Totals))
            {
                continue;
            }

            changed = true;
            if (second.Buckets.Count == 0)
            {
                _store.Delete(symbol, secondStart);
            }
            else
            {
                _store.Put(symbol, secondStart, second);
            }
        }

        totals.Changed |= changed;
        return changed;
    }

    private TrailingTotals Get(string symbol)
    {
        if (!_symbols.TryGetValue(symbol, out var totals))
        {
            _symbols[symbol] = totals = new TrailingTotals();
        }

        return totals;
    }
}

/// <summary>One symbol's running trailing totals and its output bookkeeping (in memory; rebuilt from the store on restore).</summary>
internal sealed class TrailingTotals
{
    public VolumeTotals Totals { get; } = new();

    public long ExpiredThroughMs { get; set; } = long.MinValue;

    /// <summary>Changed since the last output.</summary>
    public bool Changed { get; set; }

    public long Revision { get; set; }

    public long LastEmittedAt { get; set; }

    public bool BuyAlertRaised { get; set; }

    public bool SellAlertRaised { get; set; }
}
