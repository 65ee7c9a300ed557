using System.Text;
using Confluent.Kafka;
using Google.Protobuf;
using Streaming.Contracts.Analytics.V1;
using Streaming.Contracts.Ops.V1;
using Streaming.Serialization;

namespace TakerVolumeView;

/// <summary>
/// Decodes a raw record of one of the view's topics (UTF-8 symbol key, Protobuf value in either wire form) and
/// applies it to the model. A value that does not deserialize is counted as undecodable and skipped, never thrown.
/// </summary>
internal sealed class RecordApplier(ViewModel model, ViewTopics topics)
{
    private readonly ProtobufDeserializer<TakerVolumeWindow> _windows = new();
    private readonly ProtobufDeserializer<SlidingTakerVolume> _sliding = new();
    private readonly ProtobufDeserializer<LargeTradeAlert> _alerts = new();
    private readonly ProtobufDeserializer<WindowReconciliation> _reconciliations = new();
    private readonly ProtobufDeserializer<FeedGap> _gaps = new();

    public ApplyOutcome Apply(string topic, byte[]? key, byte[]? value, Headers? headers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(topic);
        var symbol = key is null ? null : Encoding.UTF8.GetString(key);
        if (value is null)
        {
            // A tombstone (compacted topics): nothing to show.
            return model.Apply(topic, symbol, headers, null, now);
        }

        IMessage? message;
        try
        {
            var context = new SerializationContext(MessageComponentType.Value, topic, headers);
            message = topics.KindOf(topic) switch
            {
                TopicKind.Tumbling => _windows.Deserialize(value, isNull: false, context),
                TopicKind.Sliding => _sliding.Deserialize(value, isNull: false, context),
                TopicKind.Alerts => _alerts.Deserialize(value, isNull: false, context),
                TopicKind.Reconciliation => _reconciliations.Deserialize(value, isNull: false, context),
                TopicKind.Gaps => _gaps.Deserialize(value, isNull: false, context),
                _ => null,
            };
        }
        catch (ProtobufSerdeException)
        {
            message = null;
        }

        if (message is null)
        {
            model.RecordUndecodable(topic);
            return ApplyOutcome.Invalid;
        }

        return model.Apply(topic, symbol, headers, message, now);
    }
}
