using BenchmarkDotNet.Attributes;
using Confluent.Kafka;
using Google.Protobuf;
using Streaming.Serialization.Benchmarks.Messages;

namespace Streaming.Serialization.Benchmarks;

/// <summary>
/// Serializer and deserializer cost against the plain protobuf baseline, for an envelope carrying
/// ~300 B of exchange JSON and a window result of decimal strings, with and without Confluent's frame.
/// </summary>
[MemoryDiagnoser]
public class SerdeBenchmarks
{
    private static readonly SerializationContext Context = new(MessageComponentType.Value, "bench");

    private readonly RawEnvelope _envelope = BenchMessages.Envelope();
    private readonly WindowResult _window = BenchMessages.Window();
    private readonly ProtobufSerializer<RawEnvelope> _envelopeSerializer = new();
    private readonly ProtobufDeserializer<RawEnvelope> _envelopeDeserializer = new();
    private readonly ProtobufDeserializer<WindowResult> _windowDeserializer = new();
    private readonly SerializationContext _headerContext = new(MessageComponentType.Value, "bench", new Headers());
    private byte[] _envelopePlain = [];
    private byte[] _envelopeFramed = [];
    private byte[] _windowPlain = [];
    private byte[] _windowFramed = [];
    private SerializationContext _typedContext;

    [GlobalSetup]
    public void Setup()
    {
        _envelopePlain = _envelope.ToByteArray();
        _envelopeFramed = ConfluentProtobufFrame.ToArray(17, _envelope);
        _windowPlain = _window.ToByteArray();
        _windowFramed = ConfluentProtobufFrame.ToArray(18, _window);
        // Headers as the registry-less serializer writes them, for the registry-less read.
        _typedContext = new SerializationContext(MessageComponentType.Value, "bench", new Headers());
        _ = _envelopeSerializer.SerializeAsync(_envelope, _typedContext);
    }

    [Benchmark(Baseline = true)]
    public byte[] EnvelopeToByteArray() => _envelope.ToByteArray();

    [Benchmark]
    public byte[] EnvelopeFramed() => ConfluentProtobufFrame.ToArray(17, _envelope);

    [Benchmark]
    public Task<byte[]> EnvelopeRegistryless() => _envelopeSerializer.SerializeAsync(_envelope, _headerContext);

    [Benchmark]
    public RawEnvelope EnvelopeParseFrom() => RawEnvelope.Parser.ParseFrom(_envelopePlain);

    [Benchmark]
    public RawEnvelope EnvelopeDeserializeFramed() => _envelopeDeserializer.Deserialize(_envelopeFramed, false, Context);

    [Benchmark]
    public RawEnvelope EnvelopeDeserializeRegistryless() => _envelopeDeserializer.Deserialize(_envelopePlain, false, _typedContext);

    [Benchmark]
    public byte[] WindowToByteArray() => _window.ToByteArray();

    [Benchmark]
    public byte[] WindowFramed() => ConfluentProtobufFrame.ToArray(18, _window);

    [Benchmark]
    public WindowResult WindowParseFrom() => WindowResult.Parser.ParseFrom(_windowPlain);

    [Benchmark]
    public WindowResult WindowDeserializeFramed() => _windowDeserializer.Deserialize(_windowFramed, false, Context);
}
