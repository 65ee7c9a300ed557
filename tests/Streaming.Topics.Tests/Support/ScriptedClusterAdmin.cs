using Streaming.Topics.Provisioning;
using TopicProvisioner.Admin;

namespace Streaming.Topics.Tests.Support;

/// <summary>
/// An in-memory cluster behind <see cref="IClusterAdmin"/>, behaving like Kafka where provisioning
/// cares: describe reports every config, inherited ones from broker defaults; create sets the
/// given configs on the topic; a removed config falls back to the broker default.
/// </summary>
internal sealed class ScriptedClusterAdmin : IClusterAdmin
{
    private readonly Dictionary<string, int> _describesUntilVisible = new(StringComparer.Ordinal);

    public Dictionary<string, string> BrokerDefaults { get; } = new(StringComparer.Ordinal)
    {
        ["cleanup.policy"] = "delete",
        ["compression.type"] = "producer",
        ["max.message.bytes"] = "1048588",
        ["min.insync.replicas"] = "1",
        ["retention.ms"] = "604800000",
        ["segment.ms"] = "604800000",
        ["unclean.leader.election.enable"] = "false",
    };

    public Dictionary<string, ScriptedTopic> Topics { get; } = new(StringComparer.Ordinal);

    /// <summary>Every call, as "describe", "create a,b" or "alter topic:name=value".</summary>
    public List<string> Calls { get; } = [];

    public ClusterAdminException? DescribeFailure { get; set; }

    public ClusterAdminException? CreateFailure { get; set; }

    /// <summary>New topics stay invisible to this many describes, like metadata still propagating.</summary>
    public int DescribesBeforeNewTopicsShow { get; set; }

    /// <summary>Accept config changes without applying them, like a cluster that never converges.</summary>
    public bool IgnoreConfigChanges { get; set; }

    public ScriptedTopic Add(string name, int partitions, short replicationFactor, params (string Name, string Value)[] configsSetOnTopic)
    {
        var topic = new ScriptedTopic(partitions, replicationFactor, configsSetOnTopic.ToDictionary(c => c.Name, c => c.Value, StringComparer.Ordinal));
        Topics.Add(name, topic);
        return topic;
    }

    public Task<ClusterState> DescribeAsync(IReadOnlyCollection<string> topics, CancellationToken cancellationToken)
    {
        Calls.Add("describe");
        if (DescribeFailure is not null)
        {
            throw DescribeFailure;
        }

        foreach (var name in _describesUntilVisible.Keys.ToList())
        {
            _describesUntilVisible[name]--;
        }

        var visible = topics.Where(name =>
            Topics.ContainsKey(name) && (!_describesUntilVisible.TryGetValue(name, out var hiddenFor) || hiddenFor < 0));
        return Task.FromResult(new ClusterState(visible.Select(Observe)));
    }

    public Task CreateTopicsAsync(IReadOnlyList<TopicSpec> topics, CancellationToken cancellationToken)
    {
        Calls.Add("create " + string.Join(",", topics.Select(topic => topic.Name)));
        if (CreateFailure is not null)
        {
            throw CreateFailure;
        }

        foreach (var spec in topics)
        {
            if (Topics.ContainsKey(spec.Name))
            {
                throw new ClusterAdminException($"TopicAlreadyExists: {spec.Name}", ClusterAdminFailure.Rejected);
            }

            Topics.Add(spec.Name, new ScriptedTopic(spec.Partitions, spec.ReplicationFactor, new Dictionary<string, string>(spec.Configs, StringComparer.Ordinal)));
            _describesUntilVisible[spec.Name] = DescribesBeforeNewTopicsShow;
        }

        return Task.CompletedTask;
    }

    public Task ApplyConfigChangesAsync(IReadOnlyList<ConfigChange> changes, CancellationToken cancellationToken)
    {
        Calls.Add("alter " + string.Join(",", changes.Select(change => $"{change.Topic}:{change.Name}={change.Desired ?? "(delete)"}")));
        foreach (var change in changes.Where(_ => !IgnoreConfigChanges))
        {
            var configs = Topics[change.Topic].ConfigsSetOnTopic;
            if (change.Desired is { } value)
            {
                configs[change.Name] = value;
            }
            else
            {
                configs.Remove(change.Name);
            }
        }

        return Task.CompletedTask;
    }

    private ObservedTopic Observe(string name)
    {
        var topic = Topics[name];
        var configs = BrokerDefaults.ToDictionary(config => config.Key, config => new ObservedConfig(config.Value, IsSetOnTopic: false), StringComparer.Ordinal);
        foreach (var (config, value) in topic.ConfigsSetOnTopic)
        {
            configs[config] = new ObservedConfig(value, IsSetOnTopic: true);
        }

        return new ObservedTopic(name, topic.Partitions, topic.ReplicationFactor, configs);
    }
}

/// <summary>A topic of the scripted cluster; only configs set on the topic are stored.</summary>
internal sealed record ScriptedTopic(int Partitions, short ReplicationFactor, Dictionary<string, string> ConfigsSetOnTopic);
