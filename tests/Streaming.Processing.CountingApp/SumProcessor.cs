using Streaming.Processing.Errors;
using Streaming.Processing.Processors;
using Streaming.Processing.State;

namespace Streaming.Processing.CountingApp;

/// <summary>
/// Adds each record's amount to its key's total once per id: the record identity is the id, kept in the key's
/// <see cref="Idempotence.SequenceTracker"/>, so a replay or a duplicate changes nothing and emits nothing.
/// </summary>
public sealed class SumProcessor : IProcessor<string, CountingRecord>
{
    private IProcessorContext _context = null!;
    private IKeyValueStore<string, SumState> _sums = null!;

    public void Init(IProcessorContext context)
    {
        _context = context;
        _sums = context.GetStore<IKeyValueStore<string, SumState>>(CountingTopology.Store);
    }

    public void Process(Record<string, CountingRecord> record)
    {
        if (record.Value.Id <= 0)
        {
            throw new RecordValidationException($"id must be positive, not {record.Value.Id}");
        }

        if (!_sums.TryGet(record.Key, out var state))
        {
            state = new SumState();
        }

        if (!state.Seen.TryAccept(record.Value.Id))
        {
            _context.RecordDuplicate();
            return;
        }

        state.Total += record.Value.Amount;
        state.Count++;
        state.Revision++;
        _sums.Put(record.Key, state);
        _context.Emit(CountingTopology.Sink, record.Key, state.Describe(), state.Revision, record.Timestamp);
    }

    public void Republish()
    {
        foreach (var (key, state) in _sums.All())
        {
            _context.Emit(CountingTopology.Sink, key, state.Describe(), state.Revision, 0);
        }
    }
}
