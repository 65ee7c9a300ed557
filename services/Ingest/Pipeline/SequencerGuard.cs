using Ingest.Sequencing;

namespace Ingest.Pipeline;

/// <summary>
/// One market's <see cref="AggTradeSequencer"/> shared by the frame processor (stream ids) and the backfill
/// worker (REST ids filling holes). The lock is uncontended except while a backfill runs, and never taken on a
/// socket loop.
/// </summary>
internal sealed class SequencerGuard
{
    private readonly AggTradeSequencer _sequencer = new();
    private readonly HashSet<string> _listedLive = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public AggTradeObservation Observe(string symbol, long aggregateId, long tradeTimeMs)
    {
        lock (_lock)
        {
            return _sequencer.Observe(symbol, aggregateId, tradeTimeMs);
        }
    }

    /// <summary>
    /// Observes an id only at or below the symbol's last id (filling one of its holes, or a duplicate): REST rows fetched
    /// for another service's gap must not start a sequence (the next stream trade would look like a jump over
    /// everything since) nor move its high-water mark.
    /// </summary>
    public void ObserveIfTracked(string symbol, long aggregateId, long tradeTimeMs)
    {
        lock (_lock)
        {
            if (_sequencer.LastId(symbol) is { } last && aggregateId <= last)
            {
                _sequencer.Observe(symbol, aggregateId, tradeTimeMs);
            }
        }
    }

    /// <summary>
    /// Symbols that joined the pod's selection after its first plan (a listing): no connection listened before the
    /// refresh that found them, so what they traded until their first trade seen is fetched from REST.
    /// </summary>
    public void MarkListedLive(IEnumerable<string> symbols)
    {
        lock (_lock)
        {
            _listedLive.UnionWith(symbols);
        }
    }

    public bool IsListedLive(string symbol)
    {
        lock (_lock)
        {
            return _listedLive.Contains(symbol);
        }
    }

    public long? LastId(string symbol)
    {
        lock (_lock)
        {
            return _sequencer.LastId(symbol);
        }
    }
}
