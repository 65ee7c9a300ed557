using Google.Protobuf.Reflection;
using Streaming.Contracts.Analytics.V1;
using Streaming.Contracts.Common.V1;
using Streaming.Contracts.Ops.V1;
using Streaming.Topics;

namespace TakerVolumeView;

/// <summary>What a topic the view reads carries.</summary>
internal enum TopicKind
{
    Unknown = 0,
    Tumbling,
    Sliding,
    Alerts,
    Reconciliation,
    Gaps,
}

/// <summary>
/// The five topics the view reads for one market, checked against the topic catalog (deploy/topics.yaml): each must
/// exist there with the value type the view decodes, so a renamed topic fails at start-up, not as an empty screen.
/// </summary>
internal sealed record ViewTopics(string Tumbling, string Sliding, string Alerts, string Reconciliation, string Gaps)
{
    /// <summary>The market's topics, validated against <paramref name="catalog"/> (the embedded catalog by default).</summary>
    /// <exception cref="InvalidOperationException">A topic is missing from the catalog or carries another value type.</exception>
    public static ViewTopics For(Market market, TopicCatalog? catalog = null)
    {
        var m = MarketNames.Of(market);
        var topics = new ViewTopics(
            $"binance.{m}.taker-volume.tumbling-15m.v1",
            $"binance.{m}.taker-volume.sliding-15m.v1",
            $"binance.{m}.aggtrade.alerts.v1",
            $"binance.{m}.taker-volume.reconciliation.v1",
            "binance.all.feed.gaps.v1");
        topics.Validate(catalog ?? TopicCatalog.LoadDefault());
        return topics;
    }

    public IReadOnlyList<string> All => [Tumbling, Sliding, Alerts, Reconciliation, Gaps];

    public TopicKind KindOf(string topic) => topic switch
    {
        _ when topic == Tumbling => TopicKind.Tumbling,
        _ when topic == Sliding => TopicKind.Sliding,
        _ when topic == Alerts => TopicKind.Alerts,
        _ when topic == Reconciliation => TopicKind.Reconciliation,
        _ when topic == Gaps => TopicKind.Gaps,
        _ => TopicKind.Unknown,
    };

    /// <summary>The Protobuf message a topic of <paramref name="kind"/> carries.</summary>
    public static MessageDescriptor ValueType(TopicKind kind) => kind switch
    {
        TopicKind.Tumbling => TakerVolumeWindow.Descriptor,
        TopicKind.Sliding => SlidingTakerVolume.Descriptor,
        TopicKind.Alerts => LargeTradeAlert.Descriptor,
        TopicKind.Reconciliation => WindowReconciliation.Descriptor,
        TopicKind.Gaps => FeedGap.Descriptor,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a topic the view reads."),
    };

    private void Validate(TopicCatalog catalog)
    {
        foreach (var name in All)
        {
            if (!catalog.TryGet(name, out var spec))
            {
                throw new InvalidOperationException($"Topic '{name}' is not in the topic catalog {catalog.SourceName}.");
            }

            var expected = ValueType(KindOf(name)).FullName;
            if (!string.Equals(spec.Value, expected, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Topic '{name}' carries {spec.Value} in the catalog {catalog.SourceName}, but the view reads {expected}.");
            }
        }
    }
}
