using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Streaming.Topics;
using Streaming.Topics.Provisioning;

namespace TopicProvisioner.Admin;

/// <summary>
/// <see cref="IClusterAdmin"/> over Confluent.Kafka's AdminClient: a thin adapter whose only logic is
/// error translation. Not exercised end to end on the project's machines: their only broker,
/// librdkafka's mock cluster, has no Admin API; tests cover that it says so clearly.
/// </summary>
internal sealed class ConfluentClusterAdmin : IClusterAdmin, IDisposable
{
    private readonly IAdminClient _client;
    private readonly string _bootstrapServers;
    private readonly TimeSpan _timeout;
    private bool _reachable;

    public ConfluentClusterAdmin(AdminClientConfig config, TimeSpan requestTimeout)
    {
        ArgumentNullException.ThrowIfNull(config);
        _bootstrapServers = config.BootstrapServers;
        _timeout = requestTimeout;
        _client = new AdminClientBuilder(config).Build();
    }

    public async Task<ClusterState> DescribeAsync(IReadOnlyCollection<string> topics, CancellationToken cancellationToken)
    {
        var descriptions = await CallAsync("DescribeTopics", () => SendDescribeTopicsAsync(topics), cancellationToken);
        var failed = descriptions.FirstOrDefault(topic => topic.Error.Code is not (ErrorCode.NoError or ErrorCode.UnknownTopicOrPart));
        if (failed is not null)
        {
            throw AdminErrorClassifier.ToException($"DescribeTopics of {failed.Name}", failed.Error, _bootstrapServers, new KafkaException(failed.Error));
        }

        var existing = descriptions.Where(topic => topic.Error.Code == ErrorCode.NoError).ToList();
        if (existing.Count == 0)
        {
            return ClusterState.Empty;
        }

        var configs = await CallAsync("DescribeConfigs", () => SendDescribeConfigsAsync(existing.Select(topic => topic.Name)), cancellationToken);
        var configsByTopic = configs.ToDictionary(result => result.ConfigResource.Name, result => result.Entries.Values, StringComparer.Ordinal);
        return new ClusterState(existing.Select(topic => ConfluentMapping.ToObservedTopic(topic, configsByTopic[topic.Name])));
    }

    public Task CreateTopicsAsync(IReadOnlyList<TopicSpec> topics, CancellationToken cancellationToken) =>
        CallAsync("CreateTopics", () => SendCreateTopicsAsync(topics), cancellationToken);

    public Task ApplyConfigChangesAsync(IReadOnlyList<ConfigChange> changes, CancellationToken cancellationToken) =>
        CallAsync("IncrementalAlterConfigs", () => SendIncrementalAlterConfigsAsync(changes), cancellationToken);

    public void Dispose() => _client.Dispose();

    // Metadata is the one request every Kafka broker serves, so answering it separates "cannot
    // connect" from "connected, but the Admin API does not answer" (see AdminErrorClassifier).
    private async Task EnsureReachableAsync(CancellationToken cancellationToken)
    {
        if (_reachable)
        {
            return;
        }

        try
        {
            // GetMetadata blocks; it gets a pool thread rather than the caller's.
            await Task.Run(() => _client.GetMetadata(_timeout), cancellationToken);
        }
        catch (KafkaException e)
        {
            throw new ClusterAdminException(
                $"Cannot reach the Kafka cluster at {_bootstrapServers}: {e.Error.Reason}. Check --bootstrap-servers and the security settings.",
                ClusterAdminFailure.Unreachable,
                e);
        }

        _reachable = true;
    }

    private async Task<List<TopicDescription>> SendDescribeTopicsAsync(IEnumerable<string> topics)
    {
        try
        {
            var result = await _client.DescribeTopicsAsync(
                TopicCollection.OfTopicNames(topics),
                new DescribeTopicsOptions { RequestTimeout = _timeout });
            return result.TopicDescriptions;
        }
        catch (DescribeTopicsException e)
        {
            // Thrown when any topic has an error, missing ones included; the caller sorts them out.
            return e.Results.TopicDescriptions;
        }
    }

    private async Task<List<DescribeConfigsResult>> SendDescribeConfigsAsync(IEnumerable<string> topics)
    {
        try
        {
            return await _client.DescribeConfigsAsync(
                topics.Select(topic => new ConfigResource { Type = ResourceType.Topic, Name = topic }),
                new DescribeConfigsOptions { RequestTimeout = _timeout });
        }
        catch (DescribeConfigsException e)
        {
            var failed = e.Results.First(report => report.Error.IsError);
            throw AdminErrorClassifier.ToException($"DescribeConfigs of {failed.ConfigResource.Name}", failed.Error, _bootstrapServers, e);
        }
    }

    private async Task SendCreateTopicsAsync(IEnumerable<TopicSpec> topics)
    {
        try
        {
            await _client.CreateTopicsAsync(
                topics.Select(ConfluentMapping.ToTopicSpecification),
                new CreateTopicsOptions { RequestTimeout = _timeout, OperationTimeout = _timeout });
        }
        catch (CreateTopicsException e) when (e.Results.All(report => report.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
        {
            // Created meanwhile by someone else; verification compares it with the catalog.
        }
        catch (CreateTopicsException e)
        {
            var failed = e.Results.First(report => report.Error.Code is not (ErrorCode.NoError or ErrorCode.TopicAlreadyExists));
            var all = string.Join("; ", e.Results.Where(report => report.Error.IsError).Select(report => $"{report.Topic}: {report.Error.Reason}"));
            throw AdminErrorClassifier.ToException($"CreateTopics ({all})", failed.Error, _bootstrapServers, e);
        }
    }

    private async Task SendIncrementalAlterConfigsAsync(IEnumerable<ConfigChange> changes)
    {
        try
        {
            await _client.IncrementalAlterConfigsAsync(
                ConfluentMapping.ToIncrementalAlterations(changes),
                new IncrementalAlterConfigsOptions { RequestTimeout = _timeout });
        }
        catch (IncrementalAlterConfigsException e)
        {
            var failed = e.Results.First(report => report.Error.IsError);
            var all = string.Join("; ", e.Results.Where(report => report.Error.IsError).Select(report => $"{report.ConfigResource.Name}: {report.Error.Reason}"));
            throw AdminErrorClassifier.ToException($"IncrementalAlterConfigs ({all})", failed.Error, _bootstrapServers, e);
        }
    }

    private async Task<T> CallAsync<T>(string operation, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        T result = default!;
        await CallAsync(operation, async () => { result = await call(); }, cancellationToken);
        return result;
    }

    // The AdminClient takes no CancellationToken: WaitAsync stops waiting, and the request itself
    // ends at its RequestTimeout. Operation-specific exceptions are translated where they are caught.
    private async Task CallAsync(string operation, Func<Task> call, CancellationToken cancellationToken)
    {
        await EnsureReachableAsync(cancellationToken);
        try
        {
            await call().WaitAsync(cancellationToken);
        }
        catch (KafkaException e)
        {
            throw AdminErrorClassifier.ToException(operation, e.Error, _bootstrapServers, e);
        }
    }
}
