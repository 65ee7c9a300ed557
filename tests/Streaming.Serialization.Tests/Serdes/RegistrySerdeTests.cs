using Confluent.Kafka;
using Streaming.Serialization.Tests.Messages;
using Streaming.Serialization.Tests.Registry;

namespace Streaming.Serialization.Tests.Serdes;

/// <summary>Serializer and deserializer with a registry (the stub on a real HTTP server).</summary>
public sealed class RegistrySerdeTests : IAsyncLifetime
{
    private SchemaRegistryStub _stub = null!;
    private SchemaRegistryClient _client = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _stub = await SchemaRegistryStub.StartAsync(Token);
        _client = new SchemaRegistryClient(new SchemaRegistryOptions { Url = _stub.Url, RetryBaseDelay = TimeSpan.FromMilliseconds(10) });
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _stub.DisposeAsync();
    }

    [Fact]
    public async Task SerializeAsync_TopicNameStrategy_RegistersFileAndImportUnderTheirSubjects()
    {
        var bytes = await new ProtobufSerializer<Trade>(_client).SerializeAsync(Samples.Trade(), Context("trades"));

        Assert.Equal(Samples.Trade(), new ProtobufDeserializer<Trade>().Deserialize(bytes, false, Context("trades")));
        using var http = new HttpClient();
        var subjects = await http.GetStringAsync(new Uri(_stub.Url, "subjects"), Token);
        Assert.Equal("""["common.proto","trades-value"]""", subjects);
    }

    [Fact]
    public async Task SerializeAsync_RecordNameStrategy_UsesFullMessageName()
    {
        var serializer = new ProtobufSerializer<Trade.Types.Fill.Types.Venue>(_client, new ProtobufSerializerOptions { SubjectNameStrategy = SubjectNameStrategy.RecordName });

        await serializer.SerializeAsync(Samples.Venue(), Context("venues"));

        Assert.Contains(_stub.Requests, r => r.Path.StartsWith("/subjects/streaming.test.Trade.Fill.Venue/versions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SerializeAsync_SecondRecord_MakesNoRegistryCall()
    {
        var serializer = new ProtobufSerializer<Heartbeat>(_client);
        await serializer.SerializeAsync(Samples.Heartbeat(1), Context("beats"));
        var before = _stub.Requests.Count;

        await serializer.SerializeAsync(Samples.Heartbeat(2), Context("beats"));

        Assert.Equal(before, _stub.Requests.Count);
    }

    [Fact]
    public async Task SerializeAsync_NoAutoRegisterAndUnknownSubject_ThrowsSubjectNotFound()
    {
        var serializer = new ProtobufSerializer<Heartbeat>(_client, new ProtobufSerializerOptions { AutoRegisterSchemas = false });

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => serializer.SerializeAsync(Samples.Heartbeat(), Context("beats")));

        Assert.Equal(SchemaRegistryException.SubjectNotFound, error.ErrorCode);
    }

    [Fact]
    public async Task DeserializeAsync_IdOfThisType_VerifiesAndDecodes()
    {
        var bytes = await new ProtobufSerializer<Trade>(_client).SerializeAsync(Samples.Trade(), Context("trades"));
        var deserializer = new ProtobufDeserializer<Trade>(new ProtobufDeserializerOptions { Registry = _client, RequireVerifiedSchemaIds = true });

        Assert.Equal(Samples.Trade(), await deserializer.DeserializeAsync(bytes, Context("trades"), Token));
        Assert.Equal(Samples.Trade(), deserializer.Deserialize(bytes, false, Context("trades")));
    }

    [Fact]
    public async Task VerifySchemaIdAsync_UnknownId_ThrowsUnknownSchemaId()
    {
        var deserializer = new ProtobufDeserializer<Trade>(new ProtobufDeserializerOptions { Registry = _client });

        var error = await Assert.ThrowsAsync<ProtobufSerdeException>(() => deserializer.VerifySchemaIdAsync(404, Token));

        Assert.Equal(SerdeErrorKind.UnknownSchemaId, error.Kind);
    }

    [Fact]
    public async Task VerifySchemaIdAsync_IdOfAnotherFile_ThrowsSchemaMismatch()
    {
        // common.proto's only message sits at [0], where market.proto has Heartbeat.
        var commonId = await _client.RegisterAsync("common.proto", new ProtobufSchema(Convert.ToBase64String(CommonReflection.Descriptor.SerializedData.Span), []), Token);
        var deserializer = new ProtobufDeserializer<Heartbeat>(new ProtobufDeserializerOptions { Registry = _client });

        var error = await Assert.ThrowsAsync<ProtobufSerdeException>(() => deserializer.VerifySchemaIdAsync(commonId, Token));

        Assert.Equal(SerdeErrorKind.SchemaMismatch, error.Kind);
    }

    private static SerializationContext Context(string topic) => new(MessageComponentType.Value, topic);
}
