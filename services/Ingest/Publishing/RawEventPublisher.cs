using Confluent.Kafka;
using Streaming.Contracts.Ops.V1;
using Streaming.Contracts.Raw.V1;

namespace Ingest.Publishing;

/// <summary>
/// Produces raw events (key = symbol) and feed gaps with the project's idempotent, acks=all producers. When
/// librdkafka's queue is full the caller waits, a measured back-pressure that slows the frame processor (the
/// socket loops then drop frames, which the id checks catch); a record that still fails to be delivered is
/// handed to <see cref="DeliveryFailed"/> so the pipeline backfills or reports it, never silently lost.
/// </summary>
internal sealed class RawEventPublisher(IProducer<string, RawEvent> rawProducer, IProducer<string, FeedGap> gapProducer, IngestMetrics metrics) : IDisposable
{
    private static readonly TimeSpan QueueFullWait = TimeSpan.FromMilliseconds(5);

    /// <summary>Called on librdkafka's delivery thread for every raw event Kafka did not take.</summary>
    public event Action<RawEvent, Error>? DeliveryFailed;

    public async ValueTask PublishAsync(string topic, RawEvent rawEvent, CancellationToken cancellationToken)
    {
        var message = new Message<string, RawEvent> { Key = rawEvent.Symbol, Value = rawEvent };
        while (true)
        {
            try
            {
                rawProducer.Produce(topic, message, OnRawDelivered);
                metrics.RawProduced(topic);
                return;
            }
            catch (ProduceException<string, RawEvent> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                metrics.BackPressureWait();
                await Task.Delay(QueueFullWait, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void PublishGap(FeedGap gap)
    {
        ArgumentNullException.ThrowIfNull(gap);
        metrics.GapReported(gap);
        try
        {
            gapProducer.Produce(RawTopics.FeedGaps, new Message<string, FeedGap> { Key = gap.Symbol, Value = gap }, report =>
            {
                if (report.Error.IsError)
                {
                    metrics.GapDeliveryFailed();
                }
            });
        }
        catch (ProduceException<string, FeedGap>)
        {
            // The gap is in the metrics and the log either way; Kafka being unable to take it is itself counted.
            metrics.GapDeliveryFailed();
        }
    }

    /// <summary>Waits until every produced record is acknowledged or <paramref name="timeout"/> passes; returns the records still in flight.</summary>
    public int Flush(TimeSpan timeout) => rawProducer.Flush(timeout) + gapProducer.Flush(timeout);

    public void Dispose()
    {
        rawProducer.Dispose();
        gapProducer.Dispose();
    }

    private void OnRawDelivered(DeliveryReport<string, RawEvent> report)
    {
        if (report.Error.IsError)
        {
            metrics.RawDeliveryFailed(report.Topic);
            DeliveryFailed?.Invoke(report.Message.Value, report.Error);
        }
    }
}
