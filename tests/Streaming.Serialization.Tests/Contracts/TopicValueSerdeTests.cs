using System.Reflection;
using System.Text;
using Confluent.Kafka;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Streaming.Contracts;
using Streaming.Contracts.Market.V1;
using Streaming.Contracts.Ops.V1;
using Streaming.Serialization.Tests.Registry;
using Streaming.Testing;
using Streaming.Topics;

namespace Streaming.Serialization.Tests.Contracts;

/// <summary>
/// The real contracts on the real topics of the catalog, through the embedded broker: every value
/// type the catalog names travels in both wire forms (registry-less with type headers, and
/// Confluent's frame with a registry), and a record no deserializer can read is routed to the
/// dead-letter topic with reason headers.
/// </summary>
public sealed class TopicValueSerdeTests(CatalogKafkaFixture kafka) : IClassFixture<CatalogKafkaFixture>, IAsyncLifetime
{
    private const int RecordsPerForm = 10;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private SchemaRegistryStub _stub = null!;
    private SchemaRegistryClient _registry = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Catalog topics whose value is a contract message (the state-store types belong to the processor).</summary>
    public static TheoryData<string> TopicsWithContractValues()
    {
        var data = new TheoryData<string>();
        foreach (var topic in TopicCatalog.LoadDefault().Topics)
        {
            if (ContractCatalog.TryGet(topic.Value, out _))
            {
                data.Add(topic.Name);
            }
        }

        return data;
    }

    public async ValueTask InitializeAsync()
    {
        _stub = await SchemaRegistryStub.StartAsync(Token);
        _registry = new SchemaRegistryClient(new SchemaRegistryOptions { Url = _stub.Url });
    }

    public async ValueTask DisposeAsync()
    {
        _registry.Dispose();
        await _stub.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(TopicsWithContractValues))]
    public async Task TopicValue_BothWireForms_RoundTripsThroughTheBroker(string topicName)
    {
        var topic = TopicCatalog.LoadDefault().Get(topicName);
        var descriptor = ContractCatalog.Get(topic.Value);

        var roundTrip = typeof(TopicValueSerdeTests).GetMethod(nameof(RoundTripAsync), BindingFlags.NonPublic | BindingFlags.Instance)!
            .MakeGenericMethod(descriptor.ClrType);
        await (Task)roundTrip.Invoke(this, [topic.Name, descriptor])!;
    }

    [Fact]
    public async Task UnreadableRecord_OnATopic_IsRoutedToTheDeadLetterTopicWithReasonHeaders()
    {
        const string Source = "binance.spot.aggtrade.normalized.v1";
        const string DeadLetters = "binance.all.events.dead-letter.v1";
        // A Confluent frame whose message index points past the messages of agg_trade.proto.
        byte[] garbage = [0, 0, 0, 0, 7, 2, 18, 0x0a, 0x03, 0x42, 0x54, 0x43];
        DeliveryResult<string, byte[]> written;
        using (var producer = new ProducerBuilder<string, byte[]>(kafka.ProducerConfig()).Build())
        {
            written = await producer.ProduceAsync(Source, new Message<string, byte[]> { Key = "BTCUSDT", Value = garbage }, Token);
        }

        // Read exactly that record: other tests of this class write valid trades to the same topic.
        using var consumer = new ConsumerBuilder<string, byte[]>(kafka.ConsumerConfig("dead-letter-router")).Build();
        consumer.Assign(written.TopicPartitionOffset);
        var record = consumer.ConsumeUpTo(1, Timeout).Single();
        var deserializer = new ProtobufDeserializer<AggTrade>();
        var error = Assert.Throws<ProtobufSerdeException>(() =>
            deserializer.Deserialize(record.Message.Value, isNull: false, new SerializationContext(MessageComponentType.Value, Source, record.Message.Headers)));
        Assert.Equal(SerdeErrorKind.MessageIndexOutOfRange, error.Kind);

        // What a processor does with it: the original bytes, wrapped with where they came from and why they failed.
        var deadLetter = new DeadLetter
        {
            SourceTopic = record.Topic,
            SourcePartition = record.Partition.Value,
            SourceOffset = record.Offset.Value,
            Key = ByteString.CopyFromUtf8(record.Message.Key),
            Value = ByteString.CopyFrom(record.Message.Value),
            ErrorMessage = error.Message,
            Service = "test",
        };
        var headers = DeadLetterHeaders.Create(error, record.TopicPartitionOffset, TimeProvider.System, record.Message.Headers);
        DeliveryResult<string, DeadLetter> routedTo;
        using (var producer = new ProducerBuilder<string, DeadLetter>(kafka.ProducerConfig()).SetValueSerializer(new ProtobufSerializer<DeadLetter>()).Build())
        {
            routedTo = await producer.ProduceAsync(DeadLetters, new Message<string, DeadLetter> { Key = record.Message.Key, Value = deadLetter, Headers = headers }, Token);
        }

        using var reader = new ConsumerBuilder<string, DeadLetter>(kafka.ConsumerConfig("dead-letter-reader"))
            .SetValueDeserializer(new ProtobufDeserializer<DeadLetter>()).Build();
        reader.Assign(routedTo.TopicPartitionOffset);
        var routed = reader.ConsumeUpTo(1, Timeout).Single();
        reader.Close();

        Assert.Equal(nameof(SerdeErrorKind.MessageIndexOutOfRange), Header(routed, DeadLetterHeaders.ErrorKind));
        Assert.Equal(Source, Header(routed, DeadLetterHeaders.SourceTopic));
        Assert.Equal(record.Offset.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(routed, DeadLetterHeaders.SourceOffset));
        Assert.Equal(garbage, routed.Message.Value.Value.ToByteArray());
    }

    private async Task RoundTripAsync<T>(string topic, MessageDescriptor descriptor)
        where T : class, IMessage<T>, new()
    {
        var random = new RandomMessages(descriptor.FullName.Length);
        var sent = Enumerable.Range(0, 2 * RecordsPerForm).Select(_ => (T)random.Create(descriptor)).ToList();
        TopicPartitionOffset? first = null;
        using (var plain = Producer(new ProtobufSerializer<T>()))
        using (var framed = Producer(new ProtobufSerializer<T>(_registry)))
        {
            // One key: one partition, so the read order is the send order.
            for (var i = 0; i < sent.Count; i++)
            {
                var producer = i < RecordsPerForm ? plain : framed;
                var result = await producer.ProduceAsync(topic, new Message<string, T> { Key = "BTCUSDT", Value = sent[i] }, Token);
                first ??= result.TopicPartitionOffset;
            }
        }

        using var consumer = new ConsumerBuilder<string, T>(kafka.ConsumerConfig($"{topic}-reader"))
            .SetValueDeserializer(new ProtobufDeserializer<T>(new ProtobufDeserializerOptions { Registry = _registry })).Build();
        // From the first record sent, not the topic's start: another test of this class writes an unreadable record to
        // one of these topics on the same broker, and the order of tests is not fixed.
        consumer.Assign(first!);
        var received = consumer.ConsumeUpTo(sent.Count, Timeout);
        consumer.Close();

        Assert.Equal(sent, received.Select(r => r.Message.Value));
        Assert.All(received.Take(RecordsPerForm), r => Assert.NotNull(r.Message.Headers.FirstOrDefault(h => h.Key == "message-type")));
        Assert.All(received.Skip(RecordsPerForm), r => Assert.DoesNotContain(r.Message.Headers, h => h.Key == "message-type"));
    }

    private IProducer<string, T> Producer<T>(IAsyncSerializer<T> serializer) =>
        new ProducerBuilder<string, T>(kafka.ProducerConfig()).SetValueSerializer(serializer).Build();

    private static string Header<TValue>(ConsumeResult<string, TValue> record, string key) =>
        Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes(key));
}
