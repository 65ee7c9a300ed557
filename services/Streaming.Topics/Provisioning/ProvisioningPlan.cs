namespace Streaming.Topics.Provisioning;

/// <summary>What it takes to bring a cluster in line with the catalog, and what cannot be done automatically.</summary>
/// <param name="TopicCount">How many catalog topics were compared.</param>
/// <param name="TopicsToCreate">Catalog topics the cluster lacks.</param>
/// <param name="ConfigChanges">Config values to set on, or remove from, existing topics.</param>
/// <param name="UnmanagedConfigs">Values set on the cluster that the catalog does not mention, left alone.</param>
/// <param name="Disagreements">Differences a provisioner must not fix on its own.</param>
public sealed record ProvisioningPlan(
    int TopicCount,
    IReadOnlyList<TopicSpec> TopicsToCreate,
    IReadOnlyList<ConfigChange> ConfigChanges,
    IReadOnlyList<UnmanagedConfig> UnmanagedConfigs,
    IReadOnlyList<TopicDisagreement> Disagreements)
{
    /// <summary>Whether applying the plan would change the cluster.</summary>
    public bool HasChanges => TopicsToCreate.Count > 0 || ConfigChanges.Count > 0;

    public bool HasDisagreements => Disagreements.Count > 0;

    /// <summary>
    /// Nothing to do and nothing in conflict. Unmanaged configs do not count: they are reported,
    /// not drift from the catalog.
    /// </summary>
    public bool IsInSync => !HasChanges && !HasDisagreements;
}

/// <summary>A config value to set on a topic, or to remove from it when <see cref="Desired"/> is null.</summary>
/// <param name="Topic">The topic name.</param>
/// <param name="Name">The Kafka config name.</param>
/// <param name="Current">The value on the cluster; null when the cluster reports none.</param>
/// <param name="Desired">The catalog's value; null to remove the topic-level value.</param>
public sealed record ConfigChange(string Topic, string Name, ObservedConfig? Current, string? Desired)
{
    public bool IsRemoval => Desired is null;
}

/// <summary>A config set on a topic in the cluster but absent from the catalog.</summary>
public sealed record UnmanagedConfig(string Topic, string Name, string? Value);

/// <summary>A property of an existing topic that differs from the catalog and is not changed automatically.</summary>
/// <param name="Topic">The topic name.</param>
/// <param name="Property">Which property differs.</param>
/// <param name="Cluster">The value on the cluster.</param>
/// <param name="Catalog">The value in the catalog.</param>
public sealed record TopicDisagreement(string Topic, TopicProperty Property, int Cluster, int Catalog);

/// <summary>Topic properties that only a person may change on an existing topic.</summary>
public enum TopicProperty
{
    /// <summary>
    /// Adding partitions remaps keys to partitions, which breaks per-key order and
    /// co-partitioning; Kafka cannot remove partitions at all.
    /// </summary>
    Partitions,

    /// <summary>Changing replicas moves data between brokers: a planned partition reassignment.</summary>
    ReplicationFactor,
}

/// <summary>What to do with configs set on the cluster but absent from the catalog.</summary>
public enum UnmanagedConfigPolicy
{
    /// <summary>Report them and leave them set (the default: someone may have set them for a reason).</summary>
    Keep,

    /// <summary>Remove them, so the topic falls back to the broker's value.</summary>
    Remove,
}
