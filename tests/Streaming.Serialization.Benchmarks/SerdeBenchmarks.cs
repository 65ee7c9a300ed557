using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Confluent.Kafka;
using Google.Protobuf;
using Streaming.Contracts.Analytics.V1;
using Streaming.Contracts.Raw.V1;

namespace Streaming.Serialization.Benchmarks;

/// <summary>
/// Serializer and deserializer cost of the raw envelope and the window result, each operation
/// against plain protobuf (its category's baseline) in the same run, with Confluent's frame and
/// in the registry-less form (type headers).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SerdeBenchmarks
{
    private const int EnvelopeSchemaId = 17;
    private const int WindowSchemaId = 18;
    private static readonly SerializationContext Context = new(MessageComponentType.Value, "bench");

    private readonly RawEvent _envelope = BenchMessages.Envelope();
    private readonly TakerVolumeWindow _window = BenchMessages.Window();
    private readonly ProtobufSerializer<RawEvent> _envelopeSerializer = new();
    private readonly ProtobufSerializer<TakerVolumeWindow> _windowSerializer = new();
    private readonly ProtobufDeserializer<RawEvent> _envelopeDeserializer = new();
    private readonly ProtobufDeserializer<TakerVolumeWindow> _windowDeserializer = new();
    private byte[] _envelopePlain = [];
    private byte[] _envelopeFramed = [];
    private byte[] _windowPlain = [];
    private byte[] _windowFramed = [];
    private SerializationContext _envelopeTyped;
    private SerializationContext _windowTyped;

    [GlobalSetup]
    public void Setup()
    {
        _envelopePlain = _envelope.ToByteArray();
        _envelopeFramed = ConfluentProtobufFrame.ToArray(EnvelopeSchemaId, _envelope);
        _windowPlain = _window.ToByteArray();
        _windowFramed = ConfluentProtobufFrame.ToArray(WindowSchemaId, _window);
        // Headers exactly as the registry-less serializer writes them, for the registry-less reads.
        _envelopeTyped = new SerializationContext(MessageComponentType.Value, "bench", new Headers());
        _ = _envelopeSerializer.SerializeAsync(_envelope, _envelopeTyped);
        _windowTyped = new SerializationContext(MessageComponentType.Value, "bench", new Headers());
        _ = _windowSerializer.SerializeAsync(_window, _windowTyped);
    }

    [BenchmarkCategory("Envelope serialize"), Benchmark(Baseline = true)]
    public byte[] EnvelopeToByteArray() => _envelope.ToByteArray();

    [BenchmarkCategory("Envelope serialize"), Benchmark]
    public byte[] EnvelopeFramed() => ConfluentProtobufFrame.ToArray(EnvelopeSchemaId, _envelope);

    /// <summary>Each record gets its own headers, as in a producer: their allocation is part of the cost.</summary>
    [BenchmarkCategory("Envelope serialize"), Benchmark]
    public Task<byte[]> EnvelopeRegistryless() =>
        _envelopeSerializer.SerializeAsync(_envelope, new SerializationContext(MessageComponentType.Value, "bench", new Headers()));

    [BenchmarkCategory("Envelope deserialize"), Benchmark(Baseline = true)]
    public RawEvent EnvelopeParseFrom() => RawEvent.Parser.ParseFrom(_envelopePlain);

    [BenchmarkCategory("Envelope deserialize"), Benchmark]
    public RawEvent EnvelopeDeserializeFramed() => _envelopeDeserializer.Deserialize(_envelopeFramed, false, Context);

    [BenchmarkCategory("Envelope deserialize"), Benchmark]
    public RawEvent EnvelopeDeserializeRegistryless() => _envelopeDeserializer.Deserialize(_envelopePlain, false, _envelopeTyped);

    [BenchmarkCategory("Window serialize"), Benchmark(Baseline = true)]
    public byte[] WindowToByteArray() => _window.ToByteArray();

    [BenchmarkCategory("Window serialize"), Benchmark]
    public byte[] WindowFramed() => ConfluentProtobufFrame.ToArray(WindowSchemaId, _window);

    [BenchmarkCategory("Window serialize"), Benchmark]
    public Task<byte[]> WindowRegistryless() =>
        _windowSerializer.SerializeAsync(_window, new SerializationContext(MessageComponentType.Value, "bench", new Headers()));

    [BenchmarkCategory("Window deserialize"), Benchmark(Baseline = true)]
    public TakerVolumeWindow WindowParseFrom() => TakerVolumeWindow.Parser.ParseFrom(_windowPlain);

    [BenchmarkCategory("Window deserialize"), Benchmark]
    public TakerVolumeWindow WindowDeserializeFramed() => _windowDeserializer.Deserialize(_windowFramed, false, Context);

    [BenchmarkCategory("Window deserialize"), Benchmark]
    public TakerVolumeWindow WindowDeserializeRegistryless() => _windowDeserializer.Deserialize(_windowPlain, false, _windowTyped);
}
