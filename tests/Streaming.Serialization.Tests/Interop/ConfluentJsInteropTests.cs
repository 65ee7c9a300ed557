using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Streaming.Contracts.Analytics.V1;
using Streaming.Contracts.Market.V1;
using Streaming.Contracts.Ops.V1;
using Streaming.Contracts.Raw.V1;
using Streaming.Serialization.Tests.Messages;
using Streaming.Serialization.Tests.Registry;
using Streaming.Testing;

namespace Streaming.Serialization.Tests.Interop;

/// <summary>
/// Cross-checks against Confluent's official JavaScript serde (@confluentinc/schemaregistry), an
/// implementation we did not write, both sharing the registry stub: frames we write, they read, and
/// the other way round, for messages at indexes [0], [1] (with an import and a well-known type), [2]
/// and the nested [1, 0, 0].
/// </summary>
public sealed class ConfluentJsInteropTests : IAsyncLifetime
{
    private SchemaRegistryStub _stub = null!;
    private SchemaRegistryClient _client = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _stub = await SchemaRegistryStub.StartAsync(Token);
        _client = new SchemaRegistryClient(new SchemaRegistryOptions { Url = _stub.Url });
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _stub.DisposeAsync();
    }

    [Fact]
    public async Task OurFrames_ReadByConfluentJsDeserializer_GiveTheSameMessages()
    {
        IMessage[] messages = [Samples.Heartbeat(), Samples.Trade(), Samples.Envelope(), Samples.Venue()];
        var frames = new List<object>();
        foreach (var message in messages)
        {
            frames.Add(new { topic = Topic(message), frame = Convert.ToBase64String(await SerializeAsync(message)) });
        }

        var output = await RunNodeAsync(serialize: [], deserialize: frames);

        var decoded = output.GetProperty("deserialized").EnumerateArray().ToList();
        Assert.Equal(messages.Length, decoded.Count);
        for (var i = 0; i < messages.Length; i++)
        {
            Assert.Equal(messages[i].Descriptor.FullName, decoded[i].GetProperty("type").GetString());
            var parsed = messages[i].Descriptor.Parser.ParseFrom(Convert.FromBase64String(decoded[i].GetProperty("payload").GetString()!));
            Assert.Equal(messages[i], parsed);
        }
    }

    [Fact]
    public async Task ConfluentJsFrames_ReadByOurDeserializer_GiveTheSameMessagesAndHeaders()
    {
        IMessage[] messages = [Samples.Heartbeat(), Samples.Trade(), Samples.Envelope(), Samples.Venue()];
        var inputs = messages.Select(m => new { topic = Topic(m), type = m.Descriptor.FullName, payload = Convert.ToBase64String(m.ToByteArray()) }).ToList<object>();

        var output = await RunNodeAsync(serialize: inputs, deserialize: []);

        var frames = output.GetProperty("serialized").EnumerateArray().Select(f => Convert.FromBase64String(f.GetString()!)).ToList();
        Assert.Equal(Samples.Heartbeat(), await DeserializeAsync<Heartbeat>(frames[0]));
        Assert.Equal(Samples.Trade(), await DeserializeAsync<Trade>(frames[1]));
        Assert.Equal(Samples.Envelope(), await DeserializeAsync<Envelope>(frames[2]));
        Assert.Equal(Samples.Venue(), await DeserializeAsync<Trade.Types.Fill.Types.Venue>(frames[3]));

        // Both registered the same descriptor, so the idempotent registry gave both the same id: headers must match byte for byte.
        for (var i = 0; i < messages.Length; i++)
        {
            var ours = await SerializeAsync(messages[i]);
            var headerLength = ours.Length - messages[i].CalculateSize();
            Assert.Equal(ours[..headerLength], frames[i][..headerLength]);
        }
    }

    private static string Topic(IMessage message) => "interop-" + message.Descriptor.Name.ToLowerInvariant();

    private async Task<byte[]> SerializeAsync(IMessage message) => message switch
    {
        Heartbeat m => await new ProtobufSerializer<Heartbeat>(_client).SerializeAsync(m, Context(message)),
        Trade m => await new ProtobufSerializer<Trade>(_client).SerializeAsync(m, Context(message)),
        Envelope m => await new ProtobufSerializer<Envelope>(_client).SerializeAsync(m, Context(message)),
        Trade.Types.Fill.Types.Venue m => await new ProtobufSerializer<Trade.Types.Fill.Types.Venue>(_client).SerializeAsync(m, Context(message)),
        RawEvent m => await new ProtobufSerializer<RawEvent>(_client).SerializeAsync(m, Context(message)),
        TakerVolumeWindow m => await new ProtobufSerializer<TakerVolumeWindow>(_client).SerializeAsync(m, Context(message)),
        _ => throw new ArgumentException(message.Descriptor.FullName, nameof(message)),
    };

    private async Task<T> DeserializeAsync<T>(byte[] frame)
        where T : class, IMessage<T>, new()
    {
        // The verifying path: the schema id the JS client got must name T in the registry, too.
        var deserializer = new ProtobufDeserializer<T>(new ProtobufDeserializerOptions { Registry = _client, RequireVerifiedSchemaIds = true });
        return await deserializer.DeserializeAsync(frame, Context(new T()), Token);
    }

    private static SerializationContext Context(IMessage message) => new(MessageComponentType.Value, Topic(message));

    [Fact]
    public async Task ContractFrames_ReadByConfluentJsDeserializer_GiveTheSameMessages()
    {
        // Real contracts: RawEvent and TakerVolumeWindow both import binance/common/v1/common.proto.
        var raw = (RawEvent)new RandomMessages(31).Create(RawEvent.Descriptor);
        var window = (TakerVolumeWindow)new RandomMessages(32).Create(TakerVolumeWindow.Descriptor);
        List<object> frames =
        [
            new { topic = Topic(raw), frame = Convert.ToBase64String(await SerializeAsync(raw)) },
            new { topic = Topic(window), frame = Convert.ToBase64String(await SerializeAsync(window)) },
        ];

        var output = await RunNodeAsync(serialize: [], deserialize: frames, RawEventReflection.Descriptor, TakerVolumeReflection.Descriptor);

        var decoded = output.GetProperty("deserialized").EnumerateArray().Select(d => Convert.FromBase64String(d.GetProperty("payload").GetString()!)).ToList();
        Assert.Equal(raw, RawEvent.Parser.ParseFrom(decoded[0]));
        Assert.Equal(window, TakerVolumeWindow.Parser.ParseFrom(decoded[1]));
    }

    [Fact]
    public async Task ConfluentJsContractFrames_ReadByOurDeserializer_GiveTheSameMessages()
    {
        var trade = (AggTrade)new RandomMessages(33).Create(AggTrade.Descriptor);
        var gap = (FeedGap)new RandomMessages(34).Create(FeedGap.Descriptor);
        List<object> inputs =
        [
            new { topic = Topic(trade), type = AggTrade.Descriptor.FullName, payload = Convert.ToBase64String(trade.ToByteArray()) },
            new { topic = Topic(gap), type = FeedGap.Descriptor.FullName, payload = Convert.ToBase64String(gap.ToByteArray()) },
        ];

        var output = await RunNodeAsync(serialize: inputs, deserialize: [], AggTradeReflection.Descriptor, FeedGapReflection.Descriptor);

        var frames = output.GetProperty("serialized").EnumerateArray().Select(f => Convert.FromBase64String(f.GetString()!)).ToList();
        Assert.Equal(trade, await DeserializeAsync<AggTrade>(frames[0]));
        Assert.Equal(gap, await DeserializeAsync<FeedGap>(frames[1]));
    }

    /// <summary>The given files and their imports, imports first, as the JS side builds its registry from them.</summary>
    private static string DescriptorSet(FileDescriptor[] roots)
    {
        var set = new FileDescriptorSet();
        var seen = new HashSet<string>();
        void Add(FileDescriptor file)
        {
            if (!seen.Add(file.Name))
            {
                return;
            }

            foreach (var dependency in file.Dependencies)
            {
                Add(dependency);
            }

            set.File.Add(FileDescriptorProto.Parser.ParseFrom(file.SerializedData));
        }

        foreach (var root in roots)
        {
            Add(root);
        }

        return Convert.ToBase64String(set.ToByteArray());
    }

    private Task<JsonElement> RunNodeAsync(List<object> serialize, List<object> deserialize) =>
        RunNodeAsync(serialize, deserialize, MarketReflection.Descriptor);

    private async Task<JsonElement> RunNodeAsync(List<object> serialize, List<object> deserialize, params FileDescriptor[] roots)
    {
        var script = RepoPaths.Combine("tests", "interop", "confluent-protobuf-serde.js");
        Assert.True(
            Directory.Exists(RepoPaths.Combine("tests", "interop", "node_modules", "@confluentinc", "schemaregistry")),
            "@confluentinc/schemaregistry is not installed: run scripts/bootstrap.sh (the README's test command does)");

        var start = new ProcessStartInfo("node", [script]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var input = JsonSerializer.Serialize(new { registryUrl = _stub.Url.AbsoluteUri.TrimEnd('/'), descriptorSet = DescriptorSet(roots), serialize, deserialize });
        await node.StandardInput.WriteAsync(input);
        node.StandardInput.Close();
        var output = node.StandardOutput.ReadToEndAsync(Token);
        var errors = node.StandardError.ReadToEndAsync(Token);
        await node.WaitForExitAsync(Token);
        Assert.True(node.ExitCode == 0, $"node {script} failed: {await errors}");
        return JsonDocument.Parse(await output).RootElement.Clone();
    }
}
