using System.Collections.Concurrent;
using System.Diagnostics;
using Confluent.Kafka;
using Streaming.Processing.Errors;
using Streaming.Processing.State;

namespace Streaming.Processing.Runtime;

/// <summary>
/// The thread's one producer (Kafka Streams' <c>RecordCollector</c> over <c>StreamsProducer</c>): outputs, changelog
/// records, markers and dead letters. Delivery reports arrive on librdkafka's thread and only update counters and the
/// first error; <see cref="FlushOrThrow"/> is the commit's barrier: everything sent before it is acknowledged, or the
/// commit fails and nothing after it (changelog, offsets) happens.
/// </summary>
internal sealed class RecordCollector : IChangelogWriter, IDisposable
{
    private static readonly TimeSpan QueueFullPoll = TimeSpan.FromMilliseconds(50);

    /// <summary>The marker's key: one key, so compaction keeps only the latest marker; the leading NUL keeps it apart from real keys.</summary>
    private static readonly byte[] MarkerKey = "\0streaming.owner"u8.ToArray();
    private static readonly byte[] MarkerValue = "owner"u8.ToArray();
    private static readonly byte[] ClaimValue = "claim"u8.ToArray();

    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly ConcurrentDictionary<TopicPartition, long> _lastOffsets = new();

    /// <summary>Per changelog partition: the offset of the first own write that found someone else's record before it since this owner's marker.</summary>
    private readonly ConcurrentDictionary<TopicPartition, long> _foreignWrites = new();
    private readonly Action<DeliveryReport<byte[]?, byte[]?>> _onDelivered;
    private readonly Action<DeliveryReport<byte[]?, byte[]?>> _onChangelogDelivered;
    private readonly Action<DeliveryReport<byte[]?, byte[]?>> _onMarkerDelivered;
    private long _pending;
    private Error? _firstError;
    private byte[] _epochBytes = ProcessingHeaders.EncodeInt64(0);

    public RecordCollector(IProducer<byte[]?, byte[]?> producer)
    {
        _producer = producer;
        _onDelivered = OnDelivered;
        _onChangelogDelivered = OnChangelogDelivered;
        _onMarkerDelivered = OnMarkerDelivered;
    }

    /// <summary>Records not yet acknowledged.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    /// <summary>The epoch stamped on changelog records written through <see cref="IChangelogWriter"/>; set per task before its flush.</summary>
    public long ChangelogEpoch
    {
        set => _epochBytes = ProcessingHeaders.EncodeInt64(value);
    }

    public void Send(string topic, byte[]? key, byte[]? value, Headers headers, long timestamp) =>
        Produce(new TopicPartition(topic, Partition.Any), key, value, headers, timestamp, _onDelivered);

    public void Write(string topic, int partition, byte[] key, byte[]? value)
    {
        var headers = new Headers { { ProcessingHeaders.Epoch, _epochBytes } };
        Produce(new TopicPartition(topic, new Partition(partition)), key, value, headers, 0, _onChangelogDelivered);
    }

    /// <summary>
    /// The record a new owner writes into a changelog partition before it processes anything. With an epoch, it states
    /// the owner's epoch, which out-ranks every earlier owner. Without one, it is the owner's claim: written to the
    /// task's first changelog partition, its offset decides the epoch (<see cref="ProcessingHeaders.ClaimEpoch"/>), so
    /// two instances that both believe they own a task never take the same epoch.
    /// </summary>
    public void WriteMarker(string topic, int partition, long? epoch)
    {
        var headers = new Headers { { ProcessingHeaders.Marker, MarkerValue } };
        var value = ClaimValue;
        if (epoch is { } owner)
        {
            value = ProcessingHeaders.EncodeInt64(owner);
            headers.Add(ProcessingHeaders.Epoch, value);
        }

        Produce(new TopicPartition(topic, new Partition(partition)), MarkerKey, value, headers, 0, _onMarkerDelivered);
    }

    /// <summary>
    /// Whether a record of someone else landed in <paramref name="changelog"/> after this producer's last marker there
    /// (seen as a gap before one of its own writes): another instance claimed the task, and this one's later writes
    /// lose to that claim.
    /// </summary>
    public bool ForeignWriteSeen(TopicPartition changelog) => _foreignWrites.ContainsKey(changelog);

    /// <summary>The offset after the last record this producer wrote to <paramref name="partition"/> and saw acknowledged; null if none.</summary>
    public long? NextOffsetAfterOwnWrites(TopicPartition partition) =>
        _lastOffsets.TryGetValue(partition, out var last) ? last + 1 : null;

    /// <summary>Waits until every record sent so far is acknowledged; throws <see cref="DeliveryFailedException"/> if any was refused.</summary>
    public void FlushOrThrow(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (Pending > 0)
        {
            var left = timeout - Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                throw new DeliveryFailedException($"{Pending} records were not acknowledged within {timeout.TotalSeconds:0.#} s.");
            }

            cancellationToken.ThrowIfCancellationRequested();
            _producer.Flush(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }

        if (Volatile.Read(ref _firstError) is { } error)
        {
            throw new DeliveryFailedException($"Kafka refused a record: {error.Code} {error.Reason}.");
        }
    }

    /// <summary>Forgets a failure once the tasks it affected were closed and will be restored.</summary>
    public void ResetError() => Volatile.Write(ref _firstError, null);

    public void Dispose() => _producer.Dispose();

    private void Produce(TopicPartition destination, byte[]? key, byte[]? value, Headers headers, long timestamp, Action<DeliveryReport<byte[]?, byte[]?>> onDelivered)
    {
        var message = new Message<byte[]?, byte[]?>
        {
            Key = key,
            Value = value,
            Headers = headers,
            Timestamp = timestamp > 0 ? new Timestamp(timestamp, TimestampType.CreateTime) : Timestamp.Default,
        };
        while (true)
        {
            try
            {
                Interlocked.Increment(ref _pending);
                _producer.Produce(destination, message, onDelivered);
                return;
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // Back-pressure: the stream thread waits for librdkafka to drain; delivery reports run meanwhile.
                Interlocked.Decrement(ref _pending);
                _producer.Poll(QueueFullPoll);
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (!e.Error.IsFatal)
            {
                // Refused before it was sent (e.g. a topic error librdkafka remembers): like a failed delivery.
                Interlocked.Decrement(ref _pending);
                throw new DeliveryFailedException($"Kafka refused a record for {destination.Topic}: {e.Error.Code} {e.Error.Reason}.", e);
            }
            catch
            {
                // A fatal producer error (fenced, idempotence broken) cannot be retried on this producer: the instance stops.
                Interlocked.Decrement(ref _pending);
                throw;
            }
        }
    }

    private void OnMarkerDelivered(DeliveryReport<byte[]?, byte[]?> report)
    {
        if (!report.Error.IsError)
        {
            // A new incarnation: what others wrote before the marker was read by its restore.
            _foreignWrites.TryRemove(report.TopicPartition, out _);
            _lastOffsets[report.TopicPartition] = report.Offset.Value;
        }

        OnDelivered(report);
    }

    private void OnChangelogDelivered(DeliveryReport<byte[]?, byte[]?> report)
    {
        // Delivery reports of one partition arrive in offset order, on one thread: a jump means a record in between
        // that is not ours (or, rarely, a duplicate the idempotent producer wrote: a needless takeover, never a loss).
        if (!report.Error.IsError && _lastOffsets.TryGetValue(report.TopicPartition, out var previous) && report.Offset.Value > previous + 1)
        {
            _foreignWrites.TryAdd(report.TopicPartition, report.Offset.Value);
        }

        OnDelivered(report);
    }

    private void OnDelivered(DeliveryReport<byte[]?, byte[]?> report)
    {
        if (report.Error.IsError)
        {
            Interlocked.CompareExchange(ref _firstError, report.Error, null);
        }
        else
        {
            _lastOffsets.AddOrUpdate(report.TopicPartition, static (_, offset) => offset, static (_, previous, offset) => Math.Max(previous, offset), report.Offset.Value);
        }

        Interlocked.Decrement(ref _pending);
    }
}
