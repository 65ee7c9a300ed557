namespace Ingest.Sequencing;

/// <summary>
/// Checks the update-id chain of diff-depth events, per symbol, for one connection. Depth has no history
/// to backfill from, so a break must be detected at once and reported (and the book rebuilt), while the
/// second region's copies of the same updates are recognized as stale, not as gaps. The rule is chosen per
/// event: with <c>pu</c> (USD-M futures) the chain is explicit, <c>pu == last u</c>, because futures ids are
/// not contiguous between events; without it (Spot) ids are contiguous and <c>U ≤ last + 1 ≤ u</c>.
/// Not thread-safe: one instance per connection's receive path.
/// </summary>
public sealed class DepthContinuity
{
    private readonly Dictionary<string, long> _last = new(StringComparer.Ordinal);

    /// <summary>Classifies one event; on anything but <see cref="DepthObservationKind.Stale"/> its <c>u</c> becomes the symbol's last.</summary>
    public DepthObservation Observe(string symbol, long firstUpdateId, long finalUpdateId, long? previousFinalUpdateId)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        if (!_last.TryGetValue(symbol, out var last))
        {
            _last.Add(symbol, finalUpdateId);
            return new DepthObservation { Kind = DepthObservationKind.First };
        }

        if (finalUpdateId <= last)
        {
            return new DepthObservation { Kind = DepthObservationKind.Stale, PreviousLast = last };
        }

        _last[symbol] = finalUpdateId;
        if (previousFinalUpdateId is { } pu)
        {
            return pu == last
                ? new DepthObservation { Kind = DepthObservationKind.Continuous, PreviousLast = last }
                : new DepthObservation { Kind = DepthObservationKind.Gap, PreviousLast = last, Missing = pu > last ? new IdInterval(last + 1, pu) : new IdInterval(last + 1, last) };
        }

        return firstUpdateId <= last + 1
            ? new DepthObservation { Kind = DepthObservationKind.Continuous, PreviousLast = last }
            : new DepthObservation { Kind = DepthObservationKind.Gap, PreviousLast = last, Missing = new IdInterval(last + 1, firstUpdateId - 1) };
    }

    /// <summary>Forgets the symbol (after a reconnect): its next event is <see cref="DepthObservationKind.First"/>.</summary>
    public void Reset(string symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        _last.Remove(symbol);
    }

    /// <summary>Forgets every symbol: a new connection starts new chains.</summary>
    public void ResetAll() => _last.Clear();

    /// <summary>The symbol's last final update id <c>u</c>, null if none.</summary>
    public long? LastFinalUpdateId(string symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        return _last.TryGetValue(symbol, out var last) ? last : null;
    }
}
