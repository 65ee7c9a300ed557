namespace Ingest.Sequencing;

/// <summary>
/// The sequence state of one symbol: high-water mark, its trade time and the open holes below it (sorted,
/// disjoint). A gap always lies above every existing hole, so new holes are appended; fills binary-search.
/// </summary>
internal sealed class SymbolSequence(int maxOpenHoles)
{
    private readonly List<HoleEntry> _holes = [];
    private long _lastTimeMs;

    /// <summary>Ids below this are not tracked: before the first id seen, or up to the end of a hole given up.</summary>
    private long _floor;

    public long? LastId { get; private set; }

    public bool PendingVerification { get; set; }

    public IReadOnlyList<IdInterval> OpenHoles()
    {
        var copy = new IdInterval[_holes.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = _holes[i].Range;
        }

        return copy;
    }

    public AggTradeObservation Observe(long id, long timeMs)
    {
        if (LastId is not { } last)
        {
            LastId = id;
            _lastTimeMs = timeMs;
            _floor = id;
            return new AggTradeObservation { Kind = AggTradeObservationKind.First };
        }

        var verify = PendingVerification;
        PendingVerification = false;
        AggTradeObservation observation;
        if (id == last + 1)
        {
            observation = new AggTradeObservation { Kind = AggTradeObservationKind.Continuous };
            Advance(id, timeMs);
        }
        else if (id > last + 1)
        {
            var missing = new IdInterval(last + 1, id - 1);
            observation = new AggTradeObservation { Kind = AggTradeObservationKind.Gap, Missing = missing, GapStartMs = _lastTimeMs, GapEndMs = timeMs };
            _holes.Add(new HoleEntry(missing, missing));
            Advance(id, timeMs);
        }
        else if (id < _floor)
        {
            observation = new AggTradeObservation { Kind = AggTradeObservationKind.Untracked };
        }
        else
        {
            observation = Fill(id);
        }

        if (_holes.Count > maxOpenHoles)
        {
            var oldest = _holes[0];
            _holes.RemoveAt(0);
            _floor = oldest.Range.Last + 1;
            observation = observation with { HoleGivenUp = true, GivenUp = oldest.Range };
        }

        return verify ? observation with { NeedsVerification = true, VerifyFromId = last + 1 } : observation;
    }

    private void Advance(long id, long timeMs)
    {
        LastId = id;
        _lastTimeMs = timeMs;
    }

    private AggTradeObservation Fill(long id)
    {
        var index = FindHole(id);
        if (index < 0)
        {
            return new AggTradeObservation { Kind = AggTradeObservationKind.Duplicate };
        }

        var hole = _holes[index];
        var range = hole.Range;
        if (range.First == range.Last)
        {
            _holes.RemoveAt(index);
            var closed = !SameOrigin(index - 1, hole.Origin) && !SameOrigin(index, hole.Origin);
            return new AggTradeObservation { Kind = AggTradeObservationKind.FillsHole, GapClosed = closed, ClosedGap = closed ? hole.Origin : default };
        }

        if (id == range.First)
        {
            _holes[index] = hole with { Range = range with { First = id + 1 } };
        }
        else if (id == range.Last)
        {
            _holes[index] = hole with { Range = range with { Last = id - 1 } };
        }
        else
        {
            _holes[index] = hole with { Range = range with { Last = id - 1 } };
            _holes.Insert(index + 1, hole with { Range = range with { First = id + 1 } });
        }

        return new AggTradeObservation { Kind = AggTradeObservationKind.FillsHole };
    }

    /// <summary>Holes of one gap stay adjacent in the sorted list (gaps are disjoint), so neighbours tell whether any of it remains.</summary>
    private bool SameOrigin(int index, IdInterval origin) => index >= 0 && index < _holes.Count && _holes[index].Origin == origin;

    /// <summary>The index of the hole containing <paramref name="id"/>, or -1.</summary>
    private int FindHole(long id)
    {
        int low = 0, high = _holes.Count - 1;
        while (low <= high)
        {
            var mid = low + ((high - low) / 2);
            var range = _holes[mid].Range;
            if (id < range.First)
            {
                high = mid - 1;
            }
            else if (id > range.Last)
            {
                low = mid + 1;
            }
            else
            {
                return mid;
            }
        }

        return -1;
    }
}
