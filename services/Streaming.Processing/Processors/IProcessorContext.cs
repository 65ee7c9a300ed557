using Streaming.Processing.Tasks;

namespace Streaming.Processing.Processors;

/// <summary>What a processor may do: read stores, emit outputs, forward to another processor, schedule punctuations.</summary>
public interface IProcessorContext
{
    TaskId TaskId { get; }

    /// <summary>The owner epoch of this task: stamped on every output and changelog record; a later owner's is higher.</summary>
    long Epoch { get; }

    /// <summary>The largest record timestamp (Unix ms) this task has processed; -1 before the first record.</summary>
    long StreamTime { get; }

    TimeProvider Time { get; }

    /// <summary>The store named <paramref name="name"/> (declared for this processor in the topology).</summary>
    TStore GetStore<TStore>(string name)
        where TStore : class;

    /// <summary>
    /// Writes an output record to the sink <paramref name="sink"/>. <paramref name="revision"/> is the key's
    /// output revision: deterministic, so a replay writes identical records that consumers drop by (key, revision).
    /// </summary>
    void Emit<TKey, TValue>(string sink, TKey key, TValue value, long revision, long timestamp);

    /// <summary>Hands a record to the downstream processor <paramref name="processor"/>, synchronously.</summary>
    void Forward<TKey, TValue>(string processor, Record<TKey, TValue> record);

    /// <summary>Sends the record being processed to the dead-letter topic with <paramref name="reason"/>, and carries on.</summary>
    void DeadLetter(string reason);

    /// <summary>Counts a record recognised as a repeat (exported as <c>streaming.processing.duplicates</c>).</summary>
    void RecordDuplicate();

    /// <summary>Calls <paramref name="callback"/> with the current time each time <paramref name="interval"/> passes.</summary>
    IDisposable Schedule(TimeSpan interval, PunctuationType type, Action<long> callback);
}
