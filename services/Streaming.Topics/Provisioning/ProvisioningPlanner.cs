using Streaming.Topics.Catalog;

namespace Streaming.Topics.Provisioning;

/// <summary>Compares a catalog with a cluster's state; pure, so every decision is unit-tested.</summary>
public static class ProvisioningPlanner
{
    /// <summary>
    /// The plan that makes <paramref name="cluster"/> match <paramref name="catalog"/>. Topics on the
    /// cluster that the catalog does not declare are not looked at.
    /// </summary>
    public static ProvisioningPlan Plan(
        TopicCatalog catalog,
        ClusterState cluster,
        UnmanagedConfigPolicy unmanagedConfigs = UnmanagedConfigPolicy.Keep)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(cluster);
        var create = new List<TopicSpec>();
        var changes = new List<ConfigChange>();
        var unmanaged = new List<UnmanagedConfig>();
        var disagreements = new List<TopicDisagreement>();
        foreach (var spec in catalog.Topics)
        {
            if (cluster.Find(spec.Name) is not { } observed)
            {
                create.Add(spec);
                continue;
            }

            if (observed.Partitions != spec.Partitions)
            {
                disagreements.Add(new TopicDisagreement(spec.Name, TopicProperty.Partitions, observed.Partitions, spec.Partitions));
            }

            if (observed.ReplicationFactor != spec.ReplicationFactor)
            {
                disagreements.Add(new TopicDisagreement(spec.Name, TopicProperty.ReplicationFactor, observed.ReplicationFactor, spec.ReplicationFactor));
            }

            changes.AddRange(ConfigChanges(spec, observed));
            foreach (var (name, current) in observed.Configs.Where(config => config.Value.IsSetOnTopic && !spec.Configs.ContainsKey(config.Key)))
            {
                if (unmanagedConfigs == UnmanagedConfigPolicy.Remove)
                {
                    changes.Add(new ConfigChange(spec.Name, name, current, Desired: null));
                }
                else
                {
                    unmanaged.Add(new UnmanagedConfig(spec.Name, name, current.Value));
                }
            }
        }

        return new ProvisioningPlan(catalog.Topics.Count, create, changes, unmanaged, disagreements);
    }

    // A matching value that is only inherited is still set on the topic: a later change of the
    // broker's default must not silently change a topic the catalog pins.
    private static IEnumerable<ConfigChange> ConfigChanges(TopicSpec spec, ObservedTopic observed) =>
        from config in spec.Configs
        let current = observed.Configs.GetValueOrDefault(config.Key)
        where current is not { IsSetOnTopic: true } || !KafkaTopicConfigs.AreEquivalent(config.Key, current.Value, config.Value)
        select new ConfigChange(spec.Name, config.Key, current, config.Value);
}
