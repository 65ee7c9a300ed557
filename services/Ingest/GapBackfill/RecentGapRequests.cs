using Ingest.Pipeline;
using Ingest.Sequencing;

namespace Ingest.GapBackfill;

/// <summary>
/// The gaps requested in the last <c>window</c>, at most <c>capacity</c> of them, so that copies of one gap (the
/// processor publishes a hole when it times out and again when a window's reconciliation finds it) cost one fetch.
/// A repeat shares the first request's ticket: its offset is committed when that request is served, not before.
/// Entries expire in insertion order, which is time order. Used on the listener's thread only: not thread-safe.
/// </summary>
internal sealed class RecentGapRequests
{
    private readonly Dictionary<(string Symbol, long First, long Last), (BackfillTicket Ticket, long At)> _requests = [];
    private readonly Queue<((string Symbol, long First, long Last) Key, long At)> _order = new();
    private readonly int _capacity;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;

    public RecentGapRequests(int capacity, TimeSpan window, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        _capacity = capacity;
        _window = window;
        _time = time;
    }

    public int Count => _requests.Count;

    /// <summary>
    /// Remembers a request for <paramref name="symbol"/>'s <paramref name="range"/> with <paramref name="ticket"/>, unless one
    /// was made within the window: then returns false and that request's ticket in <paramref name="earlier"/>.
    /// </summary>
    public bool TryAdd(string symbol, IdInterval range, BackfillTicket ticket, out BackfillTicket earlier)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        ArgumentNullException.ThrowIfNull(ticket);
        var now = _time.GetTimestamp();
        Expire(now);
        var key = (symbol, range.First, range.Last);
        if (_window > TimeSpan.Zero && _requests.TryGetValue(key, out var known))
        {
            earlier = known.Ticket;
            return false;
        }

        earlier = ticket;
        if (_window > TimeSpan.Zero)
        {
            _requests[key] = (ticket, now);
            _order.Enqueue((key, now));
            Expire(now);
        }

        return true;
    }

    private void Expire(long now)
    {
        while (_order.TryPeek(out var oldest) && (_requests.Count > _capacity || _time.GetElapsedTime(oldest.At, now) >= _window))
        {
            // Each remembered key has exactly one queue item: a key is added again only after its item expired.
            _order.Dequeue();
            _requests.Remove(oldest.Key);
        }
    }
}
