using System.Diagnostics.Metrics;

namespace Streaming.Benchmarking;

/// <summary>
/// Listens to the stream-processing runtime's own metrics (its meter, named by the caller so that this library needs
/// no reference to the runtime): each task's restore duration by source (snapshot or changelog), the changelog records
/// restores applied, the records processed, the commits. The runtime records the restore durations and the processed
/// counts on its stream thread, so the listener also learns that thread's kernel id. One instance at a time is
/// measured: <see cref="Reset"/> before each.
/// </summary>
/// <remarks>Moved here from tests/Streaming.Processing.Benchmarks so the TakerVolume benchmarks measure the runtime the same way.</remarks>
public sealed class ProcessingMeter : IDisposable
{
    private const string RestoreDuration = "streaming.processing.restore.duration";
    private const string RestoreRecords = "streaming.processing.restore.records";
    private const string Records = "streaming.processing.records";
    private const string CommitDuration = "streaming.processing.commit.duration";

    private readonly MeterListener _listener = new();
    private readonly Lock _lock = new();
    private readonly List<(double Seconds, string Source)> _restores = [];
    private long _restored;
    private long _processed;
    private int _streamThread;
    private long _commitTicks;
    private long _commits;

    /// <param name="meterName">The runtime's meter (<c>ProcessingMetrics.MeterName</c>).</param>
    public ProcessingMeter(string meterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(meterName);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName && instrument.Name is RestoreDuration or RestoreRecords or Records or CommitDuration)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>(OnDouble);
        _listener.SetMeasurementEventCallback<long>(OnLong);
        _listener.Start();
    }

    /// <summary>The kernel id of the stream thread of the instance being measured, once it recorded something; 0 before.</summary>
    public int StreamThread => Volatile.Read(ref _streamThread);

    /// <summary>Changelog records applied by restores since <see cref="Reset"/>.</summary>
    public long Restored => Interlocked.Read(ref _restored);

    /// <summary>Input records processed (reported at each commit) since <see cref="Reset"/>.</summary>
    public long Processed => Interlocked.Read(ref _processed);

    /// <summary>Commits (that had something to commit) since <see cref="Reset"/>, and the time the stream thread spent in them.</summary>
    public (TimeSpan Time, long Count) Commits => (TimeSpan.FromTicks(Interlocked.Read(ref _commitTicks)), Interlocked.Read(ref _commits));

    /// <summary>Each task's restore duration and source since <see cref="Reset"/>.</summary>
    public IReadOnlyList<(double Seconds, string Source)> Restores
    {
        get
        {
            lock (_lock)
            {
                return [.. _restores];
            }
        }
    }

    public void Reset()
    {
        lock (_lock)
        {
            _restores.Clear();
        }

        Interlocked.Exchange(ref _restored, 0);
        Interlocked.Exchange(ref _processed, 0);
        Interlocked.Exchange(ref _commitTicks, 0);
        Interlocked.Exchange(ref _commits, 0);
        Volatile.Write(ref _streamThread, 0);
    }

    public void Dispose() => _listener.Dispose();

    private void OnDouble(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (instrument.Name == CommitDuration)
        {
            Interlocked.Add(ref _commitTicks, TimeSpan.FromSeconds(value).Ticks);
            Interlocked.Increment(ref _commits);
            return;
        }

        if (instrument.Name != RestoreDuration)
        {
            return;
        }

        var source = "?";
        foreach (var tag in tags)
        {
            if (tag.Key == "source")
            {
                source = tag.Value as string ?? "?";
            }
        }

        lock (_lock)
        {
            _restores.Add((value, source));
        }

        NoteStreamThread();
    }

    private void OnLong(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (instrument.Name == RestoreRecords)
        {
            Interlocked.Add(ref _restored, value);
        }
        else if (instrument.Name == Records)
        {
            Interlocked.Add(ref _processed, value);
            NoteStreamThread();
        }
    }

    private void NoteStreamThread()
    {
        if (Volatile.Read(ref _streamThread) == 0)
        {
            Volatile.Write(ref _streamThread, OsThread.CurrentId());
        }
    }
}
