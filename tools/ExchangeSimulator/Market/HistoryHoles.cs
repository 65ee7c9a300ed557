using System.Collections.Immutable;

namespace ExchangeSimulator.Market;

/// <summary>
/// Aggregate trades the exchange's own history lacks (an injected fault): REST never returns them, and when
/// <see cref="HistoryHole.WithheldFromStreams"/> is set the streams never carried them either, so no client can
/// fill the hole and a correct pipeline must report it. The trades still happened: klines include them, as the
/// exchange's would. Thread-safe; read on every published trade, so reads take no lock.
/// </summary>
public sealed class HistoryHoles
{
    private ImmutableArray<HistoryHole> _holes = [];

    public IReadOnlyList<HistoryHole> All => _holes;

    public bool IsEmpty => _holes.IsEmpty;

    public void Add(HistoryHole hole)
    {
        ArgumentNullException.ThrowIfNull(hole);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hole.FirstId, hole.LastId, nameof(hole));
        ImmutableInterlocked.Update(ref _holes, static (holes, added) => holes.Add(added), hole);
    }

    /// <summary>Whether REST history lacks trade <paramref name="aggregateId"/> of <paramref name="symbol"/>.</summary>
    public bool IsMissing(string symbol, long aggregateId) => Find(symbol, aggregateId, streamsOnly: false);

    /// <summary>Whether the streams must not carry trade <paramref name="aggregateId"/> of <paramref name="symbol"/>.</summary>
    public bool IsWithheld(string symbol, long aggregateId) => Find(symbol, aggregateId, streamsOnly: true);

    private bool Find(string symbol, long aggregateId, bool streamsOnly)
    {
        foreach (var hole in _holes)
        {
            if (aggregateId >= hole.FirstId && aggregateId <= hole.LastId && (!streamsOnly || hole.WithheldFromStreams)
                && string.Equals(hole.Symbol, symbol, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Aggregate ids <see cref="FirstId"/>..<see cref="LastId"/> of <see cref="Symbol"/> missing from the exchange's history.</summary>
public sealed record HistoryHole(string Symbol, long FirstId, long LastId, bool WithheldFromStreams);
