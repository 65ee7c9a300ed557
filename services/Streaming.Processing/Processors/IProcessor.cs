namespace Streaming.Processing.Processors;

/// <summary>
/// A node of the topology (Kafka Streams' <c>Processor</c>). One instance per task, called only on the task's
/// stream thread, so it needs no locks. State transitions must be idempotent per record identity: the runtime
/// delivers every record at least once (see the README's "Exactly-once by construction").
/// </summary>
public interface IProcessor<TKey, TValue>
{
    /// <summary>Called once per task, after its stores are restored and before the first record.</summary>
    void Init(IProcessorContext context);

    void Process(Record<TKey, TValue> record);

    /// <summary>
    /// Called after a restore, before the first record: re-emit the latest output per key, so that an output lost
    /// between its state change and a crash reaches consumers (repeats carry the same revision and are dropped).
    /// </summary>
    void Republish()
    {
    }

    /// <summary>
    /// Called at the start of every commit, before outputs are flushed (Kafka Streams' cache flush on commit): emit
    /// what was coalesced since the last commit, so outputs go out at most once per key per commit interval.
    /// </summary>
    void Flush()
    {
    }

    void Close()
    {
    }
}
