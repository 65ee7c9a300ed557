using Confluent.Kafka;
using Streaming.Processing.Processors;
using Streaming.Processing.Runtime;
using Streaming.Processing.Topology;

namespace Streaming.Processing.Tasks;

/// <summary>The context one processor of one task sees; it may open only the stores it declared.</summary>
internal sealed class TaskProcessorContext(StreamTask task, IReadOnlyList<string> allowedStores) : IProcessorContext
{
    public TaskId TaskId => task.Id;

    public long Epoch => task.Epoch;

    public long StreamTime => task.StreamTime;

    public TimeProvider Time => task.Time;

    public TStore GetStore<TStore>(string name)
        where TStore : class
    {
        if (!allowedStores.Contains(name, StringComparer.Ordinal))
        {
            throw new InvalidOperationException($"Store {name} is not declared for this processor.");
        }

        return task.Store(name) as TStore
            ?? throw new InvalidOperationException($"Store {name} is not a {typeof(TStore).Name}.");
    }

    public void Emit<TKey, TValue>(string sink, TKey key, TValue value, long revision, long timestamp)
    {
        if (task.Topology.Sinks.GetValueOrDefault(sink) is not SinkNode<TKey, TValue> node)
        {
            throw new InvalidOperationException($"No sink {sink} for {typeof(TKey).Name} → {typeof(TValue).Name}.");
        }

        var headers = new Headers
        {
            { ProcessingHeaders.Epoch, task.EpochBytes },
            { ProcessingHeaders.Revision, ProcessingHeaders.EncodeInt64(revision) },
            { ProcessingHeaders.Task, task.IdBytes },
        };
        task.Collector.Send(node.Topic, node.SerializeKey(key, headers), node.SerializeValue(value, headers), headers, timestamp);
    }

    public void Forward<TKey, TValue>(string processor, Record<TKey, TValue> record) => task.Invoke(processor, record);

    public void DeadLetter(string reason) => task.DeadLetterCurrent(reason);

    public void RecordDuplicate() => task.Metrics.Duplicate();

    public IDisposable Schedule(TimeSpan interval, PunctuationType type, Action<long> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "A punctuation interval must be positive.");
        }

        return task.AddPunctuation(new Punctuation((long)interval.TotalMilliseconds, type, callback));
    }
}
