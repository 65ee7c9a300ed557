using Ingest.Sequencing;

namespace Ingest.Tests.Sequencing;

/// <summary>
/// Generates what a sequencer sees in practice: ids mostly in order with local reordering (two feeds, a
/// retried publish), some dropped (a reconnect), some delivered twice, and a later backfill that delivers
/// part of the dropped ids in any order, duplicates included. The first arrival is the lowest id, as on a
/// fresh connection.
/// </summary>
internal static class AggTradeArrivals
{
    public static List<long> Generate(Random random, long first, int count)
    {
        var ids = new List<long>(count);
        for (var i = 0; i < count; i++)
        {
            ids.Add(first + i);
        }

        for (var i = 2; i < ids.Count; i++)
        {
            if (random.Next(10) == 0)
            {
                var j = Math.Max(1, i - random.Next(1, 8));
                (ids[i], ids[j]) = (ids[j], ids[i]);
            }
        }

        var arrivals = new List<long>();
        var dropped = new List<long>();
        foreach (var id in ids)
        {
            var roll = random.Next(100);
            if (id != first && (roll < 8 || (roll < 12 && dropped.Count > 0 && dropped[^1] == id - 1)))
            {
                dropped.Add(id);
                continue;
            }

            arrivals.Add(id);
            if (random.Next(100) < 5)
            {
                arrivals.Insert(random.Next(arrivals.Count - 1, arrivals.Count + 1), id);
            }
        }

        var backfill = new List<long>();
        foreach (var id in dropped)
        {
            if (random.Next(3) > 0)
            {
                backfill.Add(id);
                if (random.Next(10) == 0)
                {
                    backfill.Add(id);
                }
            }
        }

        Shuffle(random, backfill);
        arrivals.AddRange(backfill);
        for (var i = 0; i < 20; i++)
        {
            arrivals.Add(arrivals[random.Next(arrivals.Count)]);
        }

        return arrivals;
    }

    public static List<IdInterval> ToIntervals(IEnumerable<long> sortedIds)
    {
        var intervals = new List<IdInterval>();
        foreach (var id in sortedIds)
        {
            if (intervals.Count > 0 && intervals[^1].Last == id - 1)
            {
                intervals[^1] = intervals[^1] with { Last = id };
            }
            else
            {
                intervals.Add(new IdInterval(id, id));
            }
        }

        return intervals;
    }

    private static void Shuffle(Random random, List<long> list)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
