using System.Globalization;
using Confluent.Kafka;
using Streaming.Kafka;

namespace TakerVolumeView;

/// <summary>
/// Reads every partition of the view's topics from the beginning with one read_committed consumer on its own thread,
/// applying each record to the model under the shared lock. Partitions are assigned, not subscribed: no consumer
/// group membership, no offset commits, so any number of views can run side by side. Topics missing from the
/// cluster are looked up again every few seconds. Kafka errors are shown in the model, never thrown.
/// </summary>
internal sealed class TopicReader(ViewOptions options, ViewTopics topics, ViewModel model, Lock gate, TimeProvider time)
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan MetadataRetry = TimeSpan.FromSeconds(5);

    /// <summary>Runs the consumer loop on a dedicated thread until <paramref name="cancellationToken"/> is cancelled; the consumer is closed before the task completes.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => Run(cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>The consumer configuration: the project's defaults, a group id of its own, from the beginning, read_committed.</summary>
    public static ConsumerConfig Config(string bootstrapServers)
    {
        var kafka = new KafkaOptions { BootstrapServers = bootstrapServers, StatisticsInterval = TimeSpan.Zero };
        // Short fetch waits: Kafka answers a fetch as soon as data arrives anyway, the embedded broker does not.
        kafka.Consumer.FetchMaxWait = TimeSpan.FromMilliseconds(100);
        var groupId = "taker-volume-view-" + Guid.NewGuid().ToString("N");
        var config = KafkaClientConfigs.Consumer(kafka, groupId, "taker-volume-view");
        config.AutoOffsetReset = AutoOffsetReset.Earliest;
        config.IsolationLevel = IsolationLevel.ReadCommitted;
        config.EnableAutoCommit = false;
        return config;
    }

    private void Run(CancellationToken cancellationToken)
    {
        var applier = new RecordApplier(model, topics);
        try
        {
            using var consumer = new ConsumerBuilder<byte[], byte[]>(Config(options.BootstrapServers))
                .SetErrorHandler((_, error) => Report(error.IsFatal ? $"fatal: {error.Reason}" : error.Reason))
                // librdkafka logs to stderr by default, which would tear the screen: keep warnings for the header.
                .SetLogHandler((_, log) =>
                {
                    if (log.Level <= SyslogLevel.Warning)
                    {
                        Report($"{log.Facility}: {log.Message}");
                    }
                })
                .Build();
            try
            {
                Consume(consumer, applier, cancellationToken);
            }
            finally
            {
                consumer.Close();
            }
        }
        catch (Exception e) when (e is KafkaException or InvalidOperationException or ArgumentException)
        {
            Report($"reader stopped: {e.Message}");
        }
    }

    private void Consume(IConsumer<byte[], byte[]> consumer, RecordApplier applier, CancellationToken cancellationToken)
    {
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var pending = new List<string>(topics.All);
        var assigned = new List<TopicPartition>();
        DateTimeOffset? lastLookup = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (pending.Count > 0 && (lastLookup is null || time.GetUtcNow() - lastLookup >= MetadataRetry))
            {
                lastLookup = time.GetUtcNow();
                Assign(consumer, admin, pending, assigned);
            }

            ConsumeResult<byte[], byte[]>? result;
            try
            {
                result = consumer.Consume(PollTimeout);
            }
            catch (ConsumeException e)
            {
                Report(e.Error.Reason);
                continue;
            }

            if (result?.Message is not { } message)
            {
                continue;
            }

            lock (gate)
            {
                applier.Apply(result.Topic, message.Key, message.Value, message.Headers, time.GetUtcNow());
            }
        }
    }

    /// <summary>Looks up the partitions of the pending topics (one metadata request) and assigns the ones found, from the beginning.</summary>
    private void Assign(IConsumer<byte[], byte[]> consumer, IAdminClient admin, List<string> pending, List<TopicPartition> assigned)
    {
        Metadata metadata;
        try
        {
            metadata = admin.GetMetadata(MetadataTimeout);
        }
        catch (KafkaException e)
        {
            Report($"metadata: {e.Error.Reason}");
            return;
        }

        var added = new List<TopicPartition>();
        foreach (var topic in pending.ToList())
        {
            var found = metadata.Topics.FirstOrDefault(t => t.Topic == topic);
            if (found is null || found.Error.IsError || found.Partitions.Count == 0)
            {
                Report($"waiting for topic {topic}: {(found is null ? "not in the cluster" : found.Error.Reason)}");
                continue;
            }

            added.AddRange(found.Partitions.Select(p => new TopicPartition(topic, p.PartitionId)));
            pending.Remove(topic);
        }

        if (added.Count == 0)
        {
            return;
        }

        // Assign replaces the whole assignment: partitions already read continue from their position.
        var assignment = assigned.Select(tp => new TopicPartitionOffset(tp, Position(consumer, tp)))
            .Concat(added.Select(tp => new TopicPartitionOffset(tp, Offset.Beginning)))
            .ToList();
        consumer.Assign(assignment);
        assigned.AddRange(added);
        var status = string.Create(CultureInfo.InvariantCulture, $"{assigned.Count} partitions of {topics.All.Count - pending.Count}/{topics.All.Count} topics assigned");
        lock (gate)
        {
            model.ReaderStatus = status;
        }
    }

    private static Offset Position(IConsumer<byte[], byte[]> consumer, TopicPartition partition)
    {
        var position = consumer.Position(partition);
        return position == Offset.Unset ? Offset.Beginning : position;
    }

    private void Report(string error)
    {
        lock (gate)
        {
            model.ReportReaderError(error, time.GetUtcNow());
        }
    }
}
