using System.Text;
using Confluent.Kafka;
using Google.Protobuf;
using Streaming.Serialization.Tests.Messages;

namespace Streaming.Serialization.Tests.Serdes;

public sealed class DeserializerErrorTests
{
    private static readonly ProtobufDeserializer<Trade> Trades = new();

    [Theory]
    [InlineData(new byte[0], SerdeErrorKind.Truncated)]
    [InlineData(new byte[] { 0, 0, 0 }, SerdeErrorKind.Truncated)]
    [InlineData(new byte[] { 0, 0, 0, 0, 1 }, SerdeErrorKind.Truncated)]
    [InlineData(new byte[] { 0, 0, 0, 0, 1, 0x80 }, SerdeErrorKind.Truncated)]
    [InlineData(new byte[] { 1, 0, 0, 0, 1, 0 }, SerdeErrorKind.BadMagicByte)]
    [InlineData(new byte[] { 0, 0, 0, 0, 1, 0x81, 0x80, 0x80, 0x80, 0x7F }, SerdeErrorKind.MessageIndexOutOfRange)]
    [InlineData(new byte[] { 0, 0, 0, 0, 1, 1 }, SerdeErrorKind.MessageIndexOutOfRange)]
    [InlineData(new byte[] { 0, 0, 0, 0, 1, 2, 18 }, SerdeErrorKind.MessageIndexOutOfRange)]
    [InlineData(new byte[] { 0, 0, 0, 0, 1, 0 }, SerdeErrorKind.SchemaMismatch)]
    [InlineData(new byte[] { 0, 0, 0, 0, 1, 2, 2, 0xFF }, SerdeErrorKind.InvalidPayload)]
    public void Deserialize_MalformedFrame_ThrowsKind(byte[] data, SerdeErrorKind kind)
    {
        var error = Assert.Throws<ProtobufSerdeException>(() => Trades.Deserialize(data, false, Value()));

        Assert.Equal(kind, error.Kind);
    }

    [Fact]
    public void Deserialize_OverLimit_ThrowsPayloadTooLarge()
    {
        var small = new ProtobufDeserializer<Trade>(new ProtobufDeserializerOptions { MaxPayloadBytes = 16 });

        var error = Assert.Throws<ProtobufSerdeException>(() => small.Deserialize(ConfluentProtobufFrame.ToArray(1, Samples.Trade()), false, Value()));

        Assert.Equal(SerdeErrorKind.PayloadTooLarge, error.Kind);
    }

    [Fact]
    public async Task Serialize_OverLimit_ThrowsPayloadTooLarge()
    {
        var serializer = new ProtobufSerializer<Trade>(new ProtobufSerializerOptions { MaxPayloadBytes = 16 });

        var error = await Assert.ThrowsAsync<ProtobufSerdeException>(() => serializer.SerializeAsync(Samples.Trade(), Value(new Headers())));

        Assert.Equal(SerdeErrorKind.PayloadTooLarge, error.Kind);
    }

    [Fact]
    public void Deserialize_ContentTypeWithoutMessageType_ThrowsMissingTypeHeader()
    {
        var headers = new Headers { { "content-type", Encoding.UTF8.GetBytes("application/x-protobuf") } };

        var error = Assert.Throws<ProtobufSerdeException>(() => Trades.Deserialize(Samples.Trade().ToByteArray(), false, Value(headers)));

        Assert.Equal(SerdeErrorKind.MissingTypeHeader, error.Kind);
    }

    [Fact]
    public void Deserialize_HeaderNamesAnotherType_ThrowsSchemaMismatch()
    {
        var headers = new Headers { { "message-type", Encoding.UTF8.GetBytes("streaming.test.Heartbeat") } };

        var error = Assert.Throws<ProtobufSerdeException>(() => Trades.Deserialize(Samples.Trade().ToByteArray(), false, Value(headers)));

        Assert.Equal(SerdeErrorKind.SchemaMismatch, error.Kind);
    }

    [Fact]
    public void Deserialize_UnverifiedIdWhenRequired_ThrowsUnknownSchemaId()
    {
        var strict = new ProtobufDeserializer<Trade>(new ProtobufDeserializerOptions { RequireVerifiedSchemaIds = true });

        var error = Assert.Throws<ProtobufSerdeException>(() => strict.Deserialize(ConfluentProtobufFrame.ToArray(12, Samples.Trade()), false, Value()));

        Assert.Equal(SerdeErrorKind.UnknownSchemaId, error.Kind);
    }

    [Fact]
    public void Deserialize_Tombstone_ReturnsNull()
    {
        Assert.Null(Trades.Deserialize(default, true, Value()));
    }

    [Fact]
    public async Task RegistrylessForm_RoundTrip_SetsHeadersAndDecodes()
    {
        var headers = new Headers();
        var bytes = await new ProtobufSerializer<Trade>().SerializeAsync(Samples.Trade(), Value(headers));

        Assert.Equal(Samples.Trade().ToByteArray(), bytes);
        Assert.Equal("application/x-protobuf", Header(headers, "content-type"));
        Assert.Equal("streaming.test.Trade", Header(headers, "message-type"));
        Assert.Equal(64, Header(headers, "schema-fingerprint").Length);
        Assert.Equal(Samples.Trade(), Trades.Deserialize(bytes, false, Value(headers)));
    }

    [Fact]
    public async Task RegistrylessForm_KeyComponent_UsesPrefixedHeaders()
    {
        var headers = new Headers();
        var context = new SerializationContext(MessageComponentType.Key, "t", headers);

        var bytes = await new ProtobufSerializer<Heartbeat>().SerializeAsync(Samples.Heartbeat(), context);

        Assert.Equal("streaming.test.Heartbeat", Header(headers, "key-message-type"));
        Assert.Equal(Samples.Heartbeat(), new ProtobufDeserializer<Heartbeat>().Deserialize(bytes, false, context));
    }

    [Fact]
    public void DeadLetterHeaders_Create_NamesKindSourceAndTime()
    {
        var clock = new FixedTimeProvider(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero));
        var error = new ProtobufSerdeException(SerdeErrorKind.BadMagicByte, "Unknown magic byte 7");
        var original = new Headers { { "trace", [1] } };

        var headers = DeadLetterHeaders.Create(error, new TopicPartitionOffset("raw", 3, 99), clock, original);

        Assert.Equal([1], headers.GetLastBytes("trace"));
        Assert.Equal("BadMagicByte", Header(headers, DeadLetterHeaders.ErrorKind));
        Assert.Equal("Unknown magic byte 7", Header(headers, DeadLetterHeaders.ErrorMessage));
        Assert.Equal("raw", Header(headers, DeadLetterHeaders.SourceTopic));
        Assert.Equal("3", Header(headers, DeadLetterHeaders.SourcePartition));
        Assert.Equal("99", Header(headers, DeadLetterHeaders.SourceOffset));
        Assert.Equal("2026-03-04T05:06:07.0000000+00:00", Header(headers, DeadLetterHeaders.FailedAt));
    }

    internal static SerializationContext Value(Headers? headers = null) => new(MessageComponentType.Value, "trades", headers);

    private static string Header(Headers headers, string key) => Encoding.UTF8.GetString(headers.GetLastBytes(key));

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
