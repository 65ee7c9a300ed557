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
    private readonly Lock _lock = new();

    public AggTradeObservation Observe(string symbol, long aggregateId, long tradeTimeMs)
    {
        lock (_lock)
        {
            return _sequencer.Observe(symbol, aggregateId, tradeTimeMs);
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
