using System.Text;
using Confluent.Kafka;
using Streaming.Processing.State;

namespace Streaming.Processing.CountingApp;

/// <summary>The counting topology: input (key, id+amount) → store <c>sums</c> → output (key, "total=…;count=…").</summary>
public static class CountingTopology
{
    public const string Store = "sums";
    public const string Sink = "totals";
    public const string Processor = "sum";

    public static Topology.Topology Build(string applicationId, string inputTopic, string outputTopic) =>
        new Topology.TopologyBuilder(applicationId)
            .AddSource(inputTopic, Deserializers.Utf8, new RecordDeserializer(), Processor)
            .AddProcessor(Processor, () => new SumProcessor(), Store)
            .AddStore(StoreDefinition.KeyValue(applicationId, Store, StateSerdes.Utf8, new SumStateSerde()))
            .AddSink(Sink, outputTopic, Serializers.Utf8, Serializers.Utf8)
            .Build();

    /// <summary>The changelog topic of the store for <paramref name="applicationId"/>.</summary>
    public static string Changelog(string applicationId) => $"{applicationId}-{Store}-changelog";

    public static (long Total, long Count) ParseOutput(byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = Encoding.UTF8.GetString(value);
        var parts = text.Split(';');
        return (long.Parse(parts[0].AsSpan(6), System.Globalization.CultureInfo.InvariantCulture),
            long.Parse(parts[1].AsSpan(6), System.Globalization.CultureInfo.InvariantCulture));
    }

    private sealed class RecordDeserializer : IDeserializer<CountingRecord>
    {
        public CountingRecord Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) =>
            isNull ? throw new FormatException("A counting record has a value.") : CountingRecord.Parse(data);
    }
}
