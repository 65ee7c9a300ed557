using TakerVolume.Trades;
using TakerVolume.Windows;

namespace TakerVolume.Sliding;

/// <summary>
/// One second of one symbol's trailing window: its trades coalesced per millisecond, sorted by time. The unit of the
/// sliding store and its changelog (one record per changed second per commit, a tombstone when it leaves the window),
/// so state and changelog volume stay bounded by the window's length, not its trade count.
/// </summary>
internal sealed class SlidingSecond
{
    public List<MillisecondBucket> Buckets { get; } = [];

    public void Add(long timeMs, in TradeFigures trade)
    {
        var index = Buckets.Count - 1;
        while (index >= 0 && Buckets[index].TimeMs > timeMs)
        {
            index--;
        }

        if (index >= 0 && Buckets[index].TimeMs == timeMs)
        {
            Buckets[index].Totals.Add(trade);
            return;
        }

        var bucket = new MillisecondBucket(timeMs);
        bucket.Totals.Add(trade);
        Buckets.Insert(index + 1, bucket);
    }

    /// <summary>Removes the buckets at or before <paramref name="cutoffMs"/> and subtracts them from <paramref name="from"/>; true if any left.</summary>
    public bool RemoveThrough(long cutoffMs, VolumeTotals from)
    {
        var removed = 0;
        while (removed < Buckets.Count && Buckets[removed].TimeMs <= cutoffMs)
        {
            from.Subtract(Buckets[removed].Totals);
            removed++;
        }

        Buckets.RemoveRange(0, removed);
        return removed > 0;
    }
}

/// <summary>The trades of one symbol within one millisecond.</summary>
internal sealed class MillisecondBucket(long timeMs)
{
    public long TimeMs { get; } = timeMs;

    public VolumeTotals Totals { get; } = new();
}
