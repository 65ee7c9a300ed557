using System.Runtime.InteropServices;

namespace Streaming.EmbeddedKafka;

/// <summary>
/// The subset of librdkafka's C API (rdkafka.h, rdkafka_mock.h) the embedded broker needs.
/// "librdkafka" resolves to the librdkafka.so copied next to every application by
/// eng/kafka-client.targets, the same library Confluent.Kafka loads.
/// </summary>
internal static partial class NativeMethods
{
    private const string Library = "librdkafka";

    /// <summary>rd_kafka_type_t: the mock cluster needs a handle of any type; a producer is cheapest.</summary>
    public const int ProducerHandle = 0;

    /// <summary>rd_kafka_conf_res_t RD_KAFKA_CONF_OK.</summary>
    public const int ConfOk = 0;

    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_new")]
    public static partial nint ConfNew();

    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_destroy")]
    public static partial void ConfDestroy(nint conf);

    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_set", StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int ConfSet(nint conf, string name, string value, byte* errstr, nuint errstrSize);

    /// <summary>Takes ownership of <paramref name="conf"/> on success only.</summary>
    [LibraryImport(Library, EntryPoint = "rd_kafka_new")]
    public static unsafe partial nint KafkaNew(int type, nint conf, byte* errstr, nuint errstrSize);

    [LibraryImport(Library, EntryPoint = "rd_kafka_destroy")]
    public static partial void KafkaDestroy(nint rk);

    [LibraryImport(Library, EntryPoint = "rd_kafka_err2str")]
    public static partial nint ErrorToString(int err);

    [LibraryImport(Library, EntryPoint = "rd_kafka_version_str")]
    public static partial nint VersionString();

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_new")]
    public static partial nint MockClusterNew(nint rk, int brokerCount);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_destroy")]
    public static partial void MockClusterDestroy(nint mcluster);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_bootstraps")]
    public static partial nint MockClusterBootstraps(nint mcluster);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_topic_create", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MockTopicCreate(nint mcluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_topic_set_error", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void MockTopicSetError(nint mcluster, string topic, int err);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_partition_set_leader", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MockPartitionSetLeader(nint mcluster, string topic, int partition, int brokerId);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_partition_set_follower", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MockPartitionSetFollower(nint mcluster, string topic, int partition, int brokerId);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_set_down")]
    public static partial int MockBrokerSetDown(nint mcluster, int brokerId);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_set_up")]
    public static partial int MockBrokerSetUp(nint mcluster, int brokerId);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_set_rtt")]
    public static partial int MockBrokerSetRtt(nint mcluster, int brokerId, int rttMs);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_push_request_errors_array")]
    public static unsafe partial void MockPushRequestErrors(nint mcluster, short apiKey, nuint count, int* errors);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_clear_request_errors")]
    public static partial void MockClearRequestErrors(nint mcluster, short apiKey);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_coordinator_set", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MockCoordinatorSet(nint mcluster, string keyType, string key, int brokerId);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_group_initial_rebalance_delay_ms")]
    public static partial void MockGroupInitialRebalanceDelay(nint mcluster, int delayMs);

    public static string Describe(int err) => Marshal.PtrToStringUTF8(ErrorToString(err)) ?? $"error {err}";
}
