using Streaming.Processing.Idempotence;

namespace TakerVolume.Dedup;

/// <summary>
/// One symbol's record identities: every aggregate trade id is counted once (a <see cref="SequenceTracker"/>, which
/// accepts ids that fill a hole after larger ones arrived), plus a timer per hole so that holes still open after a
/// while are reported as feed gaps, and reported holes that are later filled are reported filled.
/// </summary>
internal sealed class SymbolDedup
{
    public SymbolDedup(SequenceTracker seen)
    {
        Seen = seen;
    }

    public SequenceTracker Seen { get; }

    public List<HoleTimer> Holes { get; } = [];

    /// <summary><c>f</c> of the earliest trade counted (-1 before any): trade ids below it were never asked for.</summary>
    public long FirstTradeId { get; set; } = -1;

    public long GapRevision { get; set; }

    /// <summary>
    /// True the first time <paramref name="aggregateId"/> is offered. A new hole (an id beyond the next expected one)
    /// starts a timer at <paramref name="nowMs"/>; <paramref name="settled"/> is a hole given up because the symbol
    /// has too many (report it: its trades can no longer be counted).
    /// </summary>
    public bool TryAccept(long aggregateId, long firstTradeId, long nowMs, out IdRange? settled)
    {
        var hadAny = Seen.HasAny;
        var highest = Seen.Highest;
        if (!Seen.TryAccept(aggregateId, out settled))
        {
            return false;
        }

        if (hadAny && aggregateId > highest + 1)
        {
            Holes.Add(new HoleTimer(new IdRange(highest + 1, aggregateId - 1), nowMs, Reported: false));
        }

        if (firstTradeId >= 0 && (FirstTradeId < 0 || firstTradeId < FirstTradeId))
        {
            FirstTradeId = firstTradeId;
        }

        if (settled is { } given)
        {
            // The given-up ids are reported by the caller; the rest of each timer stays (CheckHoles trims it to the
            // holes still open, reporting as filled what a reported timer lost).
            for (var i = Holes.Count - 1; i >= 0; i--)
            {
                var timer = Holes[i];
                if (timer.Range.Last < given.First || timer.Range.First > given.Last)
                {
                    continue;
                }

                Holes.RemoveAt(i);
                if (timer.Range.Last > given.Last)
                {
                    Holes.Insert(i, timer with { Range = new IdRange(given.Last + 1, timer.Range.Last) });
                }

                if (timer.Range.First < given.First)
                {
                    Holes.Insert(i, timer with { Range = new IdRange(timer.Range.First, given.First - 1) });
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Brings the timers in line with the holes still open at <paramref name="nowMs"/>: holes open for
    /// <paramref name="timeoutMs"/> or more are reported (<paramref name="opened"/>); reported holes that are now wholly
    /// or partly filled are reported filled (<paramref name="filled"/>), and what remains of them is reported again.
    /// </summary>
    public void CheckHoles(long nowMs, long timeoutMs, List<HoleTimer> opened, List<HoleTimer> filled)
    {
        if (Holes.Count == 0)
        {
            return;
        }

        var open = Seen.Holes.ToList();
        for (var i = 0; i < Holes.Count; i++)
        {
            var timer = Holes[i];
            var remaining = Overlaps(open, timer.Range);
            var unchanged = remaining.Count == 1 && remaining[0] == timer.Range;
            if (!unchanged)
            {
                if (timer.Reported)
                {
                    filled.Add(timer);
                }

                Holes.RemoveAt(i);
                foreach (var rest in remaining)
                {
                    Holes.Insert(i, new HoleTimer(rest, timer.OpenedAtMs, Reported: false));
                    i++;
                }

                i--;
                continue;
            }

            if (!timer.Reported && nowMs - timer.OpenedAtMs >= timeoutMs)
            {
                Holes[i] = timer with { Reported = true };
                opened.Add(Holes[i]);
            }
        }
    }

    private static List<IdRange> Overlaps(List<IdRange> open, IdRange range)
    {
        var result = new List<IdRange>();
        foreach (var hole in open)
        {
            if (hole.Last >= range.First && hole.First <= range.Last)
            {
                result.Add(new IdRange(Math.Max(hole.First, range.First), Math.Min(hole.Last, range.Last)));
            }
        }

        return result;
    }
}

/// <summary>A hole in a symbol's aggregate trade ids, since when it is open (stream time) and whether it was reported.</summary>
internal readonly record struct HoleTimer(IdRange Range, long OpenedAtMs, bool Reported);
