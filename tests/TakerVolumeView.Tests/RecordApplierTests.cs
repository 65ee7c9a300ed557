using Confluent.Kafka;
using Google.Protobuf;
using Streaming.Contracts.Analytics.V1;
using Streaming.Contracts.Common.V1;
using Streaming.Serialization;
using Streaming.Topics;
using static TakerVolumeView.Tests.Records;

namespace TakerVolumeView.Tests;

public sealed class RecordApplierTests
{
    private readonly ViewTopics _topics = ViewTopics.For(Market.Spot);
    private readonly ViewModel _model = new(Market.Spot);

    [Theory]
    [InlineData(Market.Spot, "spot")]
    [InlineData(Market.UsdmFutures, "usdm")]
    public void ViewTopics_AreCatalogTopicsCarryingTheDecodedTypes(Market market, string name)
    {
        var topics = ViewTopics.For(market);
        var catalog = TopicCatalog.LoadDefault();

        Assert.Equal($"binance.{name}.taker-volume.tumbling-15m.v1", topics.Tumbling);
        Assert.Equal("binance.all.feed.gaps.v1", topics.Gaps);
        foreach (var topic in topics.All)
        {
            Assert.Equal(ViewTopics.ValueType(topics.KindOf(topic)).FullName, catalog.Get(topic).Value);
        }
    }

    [Fact]
    public async Task Apply_PlainProtobufWithTypeHeaders_IsApplied()
    {
        var headers = Versioned(1, 1);
        var value = await SerializeAsync(Window("BTCUSDT", WindowStart, "100.5", "20", 1), _topics.Tumbling, headers);

        var outcome = Applier().Apply(_topics.Tumbling, "BTCUSDT"u8.ToArray(), value, headers, Now);

        Assert.Equal(ApplyOutcome.Applied, outcome);
        Assert.Equal(100.5m, _model.Symbols["BTCUSDT"].Window!.Buy);
    }

    [Fact]
    public async Task Apply_ValueOfAnotherType_IsCountedAsUndecodable()
    {
        // A sliding value on the tumbling topic: the message-type header names another type.
        var headers = Versioned(1, 1);
        var value = await SerializeAsync(Sliding("BTCUSDT", WindowStart, "1", "1"), _topics.Tumbling, headers);

        var outcome = Applier().Apply(_topics.Tumbling, "BTCUSDT"u8.ToArray(), value, headers, Now);

        Assert.Equal(ApplyOutcome.Invalid, outcome);
        Assert.Equal(1, _model.Undecodable);
        Assert.Empty(_model.Symbols);
    }

    [Theory]
    [InlineData(new byte[] { 0xff, 0xfe, 0x01 })]
    [InlineData(new byte[] { 0, 0, 0, 0, 7, 2, 18, 0x0a })]
    [InlineData(new byte[0])]
    public void Apply_Garbage_IsCountedAsUndecodable(byte[] value)
    {
        var outcome = Applier().Apply(_topics.Tumbling, "BTCUSDT"u8.ToArray(), value, new Headers(), Now);

        Assert.Equal(ApplyOutcome.Invalid, outcome);
        Assert.Equal(1, _model.Undecodable);
        Assert.Equal(1, _model.RecordsRead);
    }

    [Fact]
    public void Apply_Tombstone_IsReadButChangesNothing()
    {
        var outcome = Applier().Apply(_topics.Sliding, "BTCUSDT"u8.ToArray(), null, null, Now);

        Assert.Equal(ApplyOutcome.Ignored, outcome);
        Assert.Equal(0, _model.Undecodable);
        Assert.Equal(1, _model.RecordsRead);
    }

    [Fact]
    public void Apply_ConfluentFrame_IsApplied()
    {
        // Confluent's wire format: magic byte 0, schema id, message indexes (a single 0 for the first message), payload.
        var alert = Alert("ETHUSDT", 9, WindowStart, "150000");
        byte[] frame = [0, 0, 0, 0, 1, 0, .. alert.ToByteArray()];
        var index = Array.IndexOf(LargeTradeAlert.Descriptor.File.MessageTypes.ToArray(), LargeTradeAlert.Descriptor);
        Assert.Equal(0, index);

        var outcome = Applier().Apply(_topics.Alerts, "ETHUSDT"u8.ToArray(), frame, null, Now);

        Assert.Equal(ApplyOutcome.Applied, outcome);
        Assert.Equal(150000m, Assert.Single(_model.RecentAlerts).QuoteNotional);
    }

    private RecordApplier Applier() => new(_model, _topics);

    private static Task<byte[]> SerializeAsync<T>(T message, string topic, Headers headers)
        where T : IMessage<T>, new() =>
        new ProtobufSerializer<T>().SerializeAsync(message, new SerializationContext(MessageComponentType.Value, topic, headers));
}
