using Confluent.Kafka;
using Streaming.Processing.Processors;
using Streaming.Processing.Topology;

namespace TakerVolume.Benchmarks.Pipelines;

/// <summary>
/// Topology B, the runtime's pass-through: source → a processor that emits each record unchanged → sink. Bytes in,
/// bytes out, no store (the same as tests/Streaming.Processing.Benchmarks' B, here over the raw aggTrade topic).
/// </summary>
internal static class PassThroughTopology
{
    public const string Processor = "forward";
    public const string Sink = "out";

    public static Streaming.Processing.Topology.Topology Build(string applicationId, string inputTopic, string outputTopic) =>
        new TopologyBuilder(applicationId)
            .AddSource(inputTopic, Deserializers.ByteArray, Deserializers.ByteArray, Processor)
            .AddProcessor(Processor, () => new ForwardProcessor())
            .AddSink(Sink, outputTopic, Serializers.ByteArray, Serializers.ByteArray)
            .Build();

    /// <summary>Emits the record as it came; its offset is a revision that only grows per key (one key stays in one partition).</summary>
    private sealed class ForwardProcessor : IProcessor<byte[], byte[]>
    {
        private IProcessorContext _context = null!;

        public void Init(IProcessorContext context) => _context = context;

        public void Process(Record<byte[], byte[]> record) => _context.Emit(Sink, record.Key, record.Value, record.Offset, record.Timestamp);
    }
}
