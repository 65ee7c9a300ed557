using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Streaming.Processing;

/// <summary>The runtime's metrics (meter <c>Streaming.Processing</c>, exported on /metrics).</summary>
public sealed class ProcessingMetrics : IDisposable
{
    public const string MeterName = "Streaming.Processing";

    private readonly Meter _meter;
    private readonly Counter<long> _records;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _staleWrites;
    private readonly Counter<long> _deadLetters;
    private readonly Counter<long> _restored;
    private readonly Counter<long> _truncated;
    private readonly Counter<long> _commits;
    private readonly Counter<long> _corruptions;
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<double> _restoreDuration;
    private readonly ConcurrentDictionary<string, long> _lag = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _storeEntries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _restoreRemaining = new(StringComparer.Ordinal);

    public ProcessingMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _records = _meter.CreateCounter<long>("streaming.processing.records", description: "Input records processed, by task.");
        _duplicates = _meter.CreateCounter<long>("streaming.processing.duplicates", description: "Records recognised as repeats by their identity; they changed nothing.");
        _staleWrites = _meter.CreateCounter<long>("streaming.processing.stale_writes.rejected", description: "Changelog records of an older owner epoch (a zombie's writes) ignored by a restore.");
        _deadLetters = _meter.CreateCounter<long>("streaming.processing.dead_letters", description: "Records sent to the dead-letter topic, by reason kind.");
        _restored = _meter.CreateCounter<long>("streaming.processing.restore.records", description: "Changelog records applied by restores, by store.");
        _truncated = _meter.CreateCounter<long>("streaming.processing.restore.truncated", description: "Restores that found changelog records missing (retention), by store.");
        _commits = _meter.CreateCounter<long>("streaming.processing.commits", description: "Commits completed.");
        _corruptions = _meter.CreateCounter<long>("streaming.processing.tasks.corrupted", description: "Times the thread's tasks were closed unclean and restored, by reason.");
        _commitDuration = _meter.CreateHistogram<double>("streaming.processing.commit.duration", unit: "s", description: "Outputs flushed, changelog flushed, offsets committed.");
        _restoreDuration = _meter.CreateHistogram<double>("streaming.processing.restore.duration", unit: "s", description: "From a task's creation to running, by source (snapshot or changelog).");
        _meter.CreateObservableGauge("streaming.processing.consumer.lag", () => Observe(_lag, "partition"), unit: "{record}", description: "Records between the consumer's position and the end of each input partition.");
        _meter.CreateObservableGauge("streaming.processing.store.entries", () => Observe(_storeEntries, "store"), unit: "{entry}", description: "Entries per task store (task/store).");
        _meter.CreateObservableGauge("streaming.processing.restore.remaining", () => Observe(_restoreRemaining, "store"), unit: "{record}", description: "Changelog records a running restore still has to apply (task/store).");
    }

    public void Dispose() => _meter.Dispose();

    /// <summary>This instance's meter, so a listener can tell its measurements from another instance's in the same process.</summary>
    internal Meter Meter => _meter;

    internal void Processed(string task, long count) => _records.Add(count, new KeyValuePair<string, object?>("task", task));

    internal void Duplicate() => _duplicates.Add(1);

    internal void StaleWritesRejected(long count) => _staleWrites.Add(count);

    internal void DeadLettered(string kind) => _deadLetters.Add(1, new KeyValuePair<string, object?>("kind", kind));

    internal void Restored(string store, long count) => _restored.Add(count, new KeyValuePair<string, object?>("store", store));

    internal void RestoreTruncated(string store) => _truncated.Add(1, new KeyValuePair<string, object?>("store", store));

    internal void Committed(TimeSpan duration)
    {
        _commits.Add(1);
        _commitDuration.Record(duration.TotalSeconds);
    }

    internal void TasksCorrupted(string reason) => _corruptions.Add(1, new KeyValuePair<string, object?>("reason", reason));

    internal void RestoreFinished(TimeSpan duration, bool fromSnapshot) =>
        _restoreDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("source", fromSnapshot ? "snapshot" : "changelog"));

    internal void SetLag(string partition, long lag) => _lag[partition] = lag;

    internal void ForgetLag(string partition) => _lag.TryRemove(partition, out _);

    internal void SetStoreEntries(string taskStore, long entries) => _storeEntries[taskStore] = entries;

    internal void ForgetStore(string taskStore) => _storeEntries.TryRemove(taskStore, out _);

    internal void SetRestoreRemaining(string taskStore, long remaining)
    {
        if (remaining <= 0)
        {
            _restoreRemaining.TryRemove(taskStore, out _);
        }
        else
        {
            _restoreRemaining[taskStore] = remaining;
        }
    }

    private static IEnumerable<Measurement<long>> Observe(ConcurrentDictionary<string, long> values, string tag)
    {
        foreach (var (key, value) in values)
        {
            yield return new Measurement<long>(value, new KeyValuePair<string, object?>(tag, key));
        }
    }
}
