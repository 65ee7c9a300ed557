using Streaming.Processing.Idempotence;

namespace Streaming.Processing.Tests.Idempotence;

/// <summary>
/// The obvious, slow model of <see cref="SequenceTracker"/>: a set of every seen id above a watermark that moves one
/// id at a time. Ids must stay well inside the int64 range (the model steps past them).
/// </summary>
internal sealed class ReferenceSequenceTracker(int maxRanges)
{
    private readonly SortedSet<long> _above = [];

    public bool HasAny { get; private set; }

    public long Watermark { get; private set; } = long.MinValue;

    public (bool Accepted, IdRange? Settled) Accept(long id)
    {
        if (!HasAny)
        {
            HasAny = true;
            Watermark = id;
            return (true, null);
        }

        if (id <= Watermark || !_above.Add(id))
        {
            return (false, null);
        }

        Advance();
        var ranges = Ranges();
        if (ranges.Count <= maxRanges)
        {
            return (true, null);
        }

        var settled = new IdRange(Watermark + 1, ranges[0].First - 1);
        Watermark = ranges[0].Last;
        _above.RemoveWhere(seen => seen <= Watermark);
        return (true, settled);
    }

    public List<IdRange> Settle(long upTo)
    {
        var skipped = new List<IdRange>();
        if (!HasAny)
        {
            HasAny = true;
            Watermark = upTo;
            return skipped;
        }

        for (var id = Watermark + 1; id <= upTo; id++)
        {
            if (!_above.Remove(id))
            {
                if (skipped.Count > 0 && skipped[^1].Last == id - 1)
                {
                    skipped[^1] = new IdRange(skipped[^1].First, id);
                }
                else
                {
                    skipped.Add(new IdRange(id, id));
                }
            }

            Watermark = id;
        }

        Advance();
        return skipped;
    }

    public List<IdRange> Ranges()
    {
        var ranges = new List<IdRange>();
        foreach (var id in _above)
        {
            if (ranges.Count > 0 && ranges[^1].Last == id - 1)
            {
                ranges[^1] = new IdRange(ranges[^1].First, id);
            }
            else
            {
                ranges.Add(new IdRange(id, id));
            }
        }

        return ranges;
    }

    public List<IdRange> Holes()
    {
        var holes = new List<IdRange>();
        var previous = Watermark;
        foreach (var range in Ranges())
        {
            holes.Add(new IdRange(previous + 1, range.First - 1));
            previous = range.Last;
        }

        return holes;
    }

    private void Advance()
    {
        while (_above.Remove(Watermark + 1))
        {
            Watermark++;
        }
    }
}
