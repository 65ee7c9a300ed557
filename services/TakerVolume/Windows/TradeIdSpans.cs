using Streaming.Processing.Idempotence;

namespace TakerVolume.Windows;

/// <summary>
/// The individual trade ids (<c>f..l</c> of each aggregate trade) a window counted, as sorted, merged, inclusive
/// spans: consecutive aggregate trades join into one span, so a complete window holds one. Compared with a kline's
/// <c>f..L</c>, the spans show exactly which trades a window lacks.
/// </summary>
internal sealed class TradeIdSpans
{
    private readonly List<IdRange> _spans = [];

    public IReadOnlyList<IdRange> Spans => _spans;

    public void Add(long first, long last)
    {
        // Usually the trade extends the last span: check that before searching.
        var count = _spans.Count;
        if (count > 0 && _spans[count - 1].Last + 1 == first)
        {
            _spans[count - 1] = new IdRange(_spans[count - 1].First, last);
            return;
        }

        var index = 0;
        while (index < count && _spans[index].Last + 1 < first)
        {
            index++;
        }

        var mergedFirst = first;
        var mergedLast = last;
        var end = index;
        while (end < count && _spans[end].First <= mergedLast + 1)
        {
            mergedFirst = Math.Min(mergedFirst, _spans[end].First);
            mergedLast = Math.Max(mergedLast, _spans[end].Last);
            end++;
        }

        _spans.RemoveRange(index, end - index);
        _spans.Insert(index, new IdRange(mergedFirst, mergedLast));
    }

    /// <summary>The ids in <paramref name="first"/>..<paramref name="last"/> not counted, in order.</summary>
    public List<IdRange> Missing(long first, long last)
    {
        var missing = new List<IdRange>();
        var next = first;
        foreach (var span in _spans)
        {
            if (span.Last < next)
            {
                continue;
            }

            if (span.First > last)
            {
                break;
            }

            if (span.First > next)
            {
                missing.Add(new IdRange(next, span.First - 1));
            }

            next = span.Last + 1;
        }

        if (next <= last)
        {
            missing.Add(new IdRange(next, last));
        }

        return missing;
    }
}
