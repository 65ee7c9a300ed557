using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace Streaming.EmbeddedKafka;

/// <summary>
/// An in-process Kafka cluster: librdkafka's mock cluster, which speaks the real Kafka protocol on
/// kernel-chosen ports of 127.0.0.1, so any Kafka client in any process can use it.
/// </summary>
/// <remarks>
/// What it is not (pinned by tests/Streaming.EmbeddedKafka.Tests): it keeps everything in memory,
/// has no Admin API (CreateTopics, DescribeConfigs...), no log compaction, and its transactions are
/// not isolated and not fenced. Production runs on Apache Kafka. The cluster lives exactly as long
/// as this object inside this process: crash tests must kill client processes, never the host.
/// Fault injection calls are synchronous: they return once the mock's broker thread applied them.
/// </remarks>
public sealed class MockCluster : IDisposable
{
    /// <summary>Brokers of a default cluster: enough for replication factor 3 and leader moves.</summary>
    public const int DefaultBrokerCount = 3;

    private readonly Lock _gate = new();
    private nint _handle;
    private nint _cluster;

    private MockCluster(nint handle, nint cluster, int brokerCount)
    {
        _handle = handle;
        _cluster = cluster;
        BrokerCount = brokerCount;
        BootstrapServers = Marshal.PtrToStringUTF8(NativeMethods.MockClusterBootstraps(cluster))
            ?? throw new EmbeddedKafkaException("the mock cluster reported no bootstrap servers");
    }

    /// <summary>Comma-separated host:port list of all brokers.</summary>
    public string BootstrapServers { get; }

    public int BrokerCount { get; }

    /// <summary>Broker ids are 1..BrokerCount, as the mock numbers them.</summary>
    public IEnumerable<int> BrokerIds => Enumerable.Range(1, BrokerCount);

    /// <summary>Starts a cluster of <paramref name="brokerCount"/> brokers.</summary>
    /// <exception cref="EmbeddedKafkaException">librdkafka could not be loaded or the cluster not created.</exception>
    public static MockCluster Start(int brokerCount = DefaultBrokerCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerCount, 1);
        nint handle;
        try
        {
            handle = CreateHandle();
        }
        catch (DllNotFoundException ex)
        {
            throw new EmbeddedKafkaException(
                "librdkafka could not be loaded. It is built by scripts/bootstrap.sh and copied next to the application at build time.",
                ex);
        }

        var cluster = NativeMethods.MockClusterNew(handle, brokerCount);
        if (cluster == 0)
        {
            NativeMethods.KafkaDestroy(handle);
            throw new EmbeddedKafkaException($"rd_kafka_mock_cluster_new failed for {brokerCount} brokers");
        }

        return new MockCluster(handle, cluster, brokerCount);
    }

    /// <summary>Creates a topic. Creating an existing topic is an error (TopicAlreadyExists).</summary>
    public void CreateTopic(string name, int partitions, int replicationFactor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicationFactor, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(replicationFactor, BrokerCount);
        Call($"create topic {name}", c => NativeMethods.MockTopicCreate(c, name, partitions, replicationFactor));
    }

    /// <summary>Takes a broker down: its connections close and it refuses new ones until <see cref="SetBrokerUp"/>.</summary>
    public void SetBrokerDown(int brokerId) =>
        Call($"broker {brokerId} down", c => NativeMethods.MockBrokerSetDown(c, CheckBroker(brokerId)));

    public void SetBrokerUp(int brokerId) =>
        Call($"broker {brokerId} up", c => NativeMethods.MockBrokerSetUp(c, CheckBroker(brokerId)));

    /// <summary>Delays every response of a broker by <paramref name="rtt"/> (zero restores).</summary>
    public void SetBrokerRtt(int brokerId, TimeSpan rtt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rtt, TimeSpan.Zero);
        Call($"broker {brokerId} rtt", c => NativeMethods.MockBrokerSetRtt(c, CheckBroker(brokerId), checked((int)rtt.TotalMilliseconds)));
    }

    /// <summary>
    /// Queues errors for the next requests of one API, cluster-wide: the n-th such request gets the
    /// n-th error; requests after the queue is drained are served normally.
    /// </summary>
    public unsafe void PushRequestErrors(KafkaApiKey apiKey, params ReadOnlySpan<ErrorCode> errors)
    {
        var codes = new int[errors.Length];
        for (var i = 0; i < errors.Length; i++)
        {
            codes[i] = (int)errors[i];
        }

        lock (_gate)
        {
            fixed (int* p = codes)
            {
                NativeMethods.MockPushRequestErrors(CheckedCluster(), (short)apiKey, (nuint)codes.Length, p);
            }
        }
    }

    public void ClearRequestErrors(KafkaApiKey apiKey)
    {
        lock (_gate)
        {
            NativeMethods.MockClearRequestErrors(CheckedCluster(), (short)apiKey);
        }
    }

    /// <summary>Moves a partition's leadership; clients find out through metadata refreshes.</summary>
    public void SetPartitionLeader(string topic, int partition, int brokerId) =>
        Call($"leader of {topic}[{partition}] -> {brokerId}", c => NativeMethods.MockPartitionSetLeader(c, topic, partition, CheckBroker(brokerId)));

    /// <summary>Makes a broker the preferred follower consumers fetch from (KIP-392).</summary>
    public void SetPartitionFollower(string topic, int partition, int brokerId) =>
        Call($"follower of {topic}[{partition}] -> {brokerId}", c => NativeMethods.MockPartitionSetFollower(c, topic, partition, CheckBroker(brokerId)));

    /// <summary>Makes metadata requests report <paramref name="error"/> for a topic (NoError clears it).</summary>
    public void SetTopicError(string topic, ErrorCode error)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        lock (_gate)
        {
            NativeMethods.MockTopicSetError(CheckedCluster(), topic, (int)error);
        }
    }

    /// <summary>Moves the group or transaction coordinator of <paramref name="key"/> to a broker.</summary>
    public void SetCoordinator(CoordinatorType type, string key, int brokerId)
    {
        var keyType = type == CoordinatorType.Group ? "group" : "transaction";
        Call($"{keyType} coordinator of {key} -> {brokerId}", c => NativeMethods.MockCoordinatorSet(c, keyType, key, CheckBroker(brokerId)));
    }

    /// <summary>
    /// Kafka's group.initial.rebalance.delay.ms (the mock defaults to 3 s): how long a new group's
    /// coordinator waits for more members before the first assignment. Lower is faster for tests.
    /// </summary>
    public void SetGroupInitialRebalanceDelay(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        lock (_gate)
        {
            NativeMethods.MockGroupInitialRebalanceDelay(CheckedCluster(), checked((int)delay.TotalMilliseconds));
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_cluster != 0)
            {
                NativeMethods.MockClusterDestroy(_cluster);
                _cluster = 0;
            }

            if (_handle != 0)
            {
                NativeMethods.KafkaDestroy(_handle);
                _handle = 0;
            }
        }
    }

    /// <summary>Runs a native call under the lock, so it can never race with <see cref="Dispose"/>.</summary>
    private void Call(string operation, Func<nint, int> call)
    {
        lock (_gate)
        {
            Check(operation, call(CheckedCluster()));
        }
    }

    private nint CheckedCluster()
    {
        ObjectDisposedException.ThrowIf(_cluster == 0, this);
        return _cluster;
    }

    private int CheckBroker(int brokerId)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerId, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(brokerId, BrokerCount);
        return brokerId;
    }

    private static void Check(string operation, int nativeError)
    {
        if (nativeError != 0)
        {
            throw new EmbeddedKafkaException(operation, nativeError);
        }
    }

    private static unsafe nint CreateHandle()
    {
        const int errorSize = 512;
        var error = stackalloc byte[errorSize];
        var conf = NativeMethods.ConfNew();

        // The mock's own handle only hosts the cluster; warnings and errors still reach stderr.
        if (NativeMethods.ConfSet(conf, "log_level", "4", error, errorSize) != NativeMethods.ConfOk)
        {
            NativeMethods.ConfDestroy(conf);
            throw new EmbeddedKafkaException($"rd_kafka_conf_set: {Marshal.PtrToStringUTF8((nint)error)}");
        }

        var handle = NativeMethods.KafkaNew(NativeMethods.ProducerHandle, conf, error, errorSize);
        if (handle == 0)
        {
            NativeMethods.ConfDestroy(conf);
            throw new EmbeddedKafkaException($"rd_kafka_new: {Marshal.PtrToStringUTF8((nint)error)}");
        }

        return handle;
    }
}
