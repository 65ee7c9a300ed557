using Streaming.Topics.Provisioning;
using static Streaming.Topics.Tests.Support.CatalogYaml;

namespace Streaming.Topics.Tests.Provisioning;

public sealed class ProvisioningPlannerTests
{
    private static readonly TopicCatalog _catalog = CatalogOf([Spec("a.b", 12, 3, ("cleanup.policy", "delete"), ("retention.ms", "604800000"))]);

    [Fact]
    public void Plan_ClusterMatches_IsInSync()
    {
        var plan = Plan(Observed("a.b", 12, 3, Set("cleanup.policy", "delete"), Set("retention.ms", "604800000")));

        Assert.True(plan.IsInSync);
        Assert.Empty(plan.UnmanagedConfigs);
    }

    [Fact]
    public void Plan_TopicMissing_CreatesItWithCatalogSettings()
    {
        var plan = ProvisioningPlanner.Plan(_catalog, ClusterState.Empty);

        Assert.Equal([_catalog.Get("a.b")], plan.TopicsToCreate);
        Assert.Empty(plan.ConfigChanges);
        Assert.False(plan.IsInSync);
    }

    [Fact]
    public void Plan_ConfigValueDiffers_ChangesIt()
    {
        var plan = Plan(Observed("a.b", 12, 3, Set("cleanup.policy", "delete"), Set("retention.ms", "86400000")));

        var change = Assert.Single(plan.ConfigChanges);
        Assert.Equal(new ConfigChange("a.b", "retention.ms", new ObservedConfig("86400000", true), "604800000"), change);
    }

    [Fact]
    public void Plan_ConfigInheritedWithOtherValue_SetsIt()
    {
        var plan = Plan(Observed("a.b", 12, 3, Set("cleanup.policy", "delete"), Inherited("retention.ms", "86400000")));

        Assert.Equal("retention.ms", Assert.Single(plan.ConfigChanges).Name);
    }

    [Fact]
    public void Plan_ConfigInheritedWithSameValue_PinsItOnTheTopic()
    {
        // The broker default matches today; a broker-wide change tomorrow must not alter the topic.
        var plan = Plan(Observed("a.b", 12, 3, Inherited("cleanup.policy", "delete"), Set("retention.ms", "604800000")));

        var change = Assert.Single(plan.ConfigChanges);
        Assert.Equal(("cleanup.policy", "delete", false, "delete"), (change.Name, change.Current?.Value, change.Current?.IsSetOnTopic, change.Desired));
    }

    [Fact]
    public void Plan_ConfigUnknownToCluster_SetsIt()
    {
        var plan = Plan(Observed("a.b", 12, 3, Set("cleanup.policy", "delete")));

        var change = Assert.Single(plan.ConfigChanges);
        Assert.Equal(("retention.ms", null), (change.Name, change.Current));
    }

    [Fact]
    public void Plan_CleanupPolicyListedInOtherOrder_IsInSync()
    {
        var catalog = CatalogOf([Spec("a.b", 12, 3, ("cleanup.policy", "compact,delete"))]);

        var plan = ProvisioningPlanner.Plan(catalog, new ClusterState([Observed("a.b", 12, 3, Set("cleanup.policy", "delete,compact"))]));

        Assert.True(plan.IsInSync);
    }

    [Fact]
    public void Plan_ExplicitConfigAbsentFromCatalog_ReportsItAndKeepsIt()
    {
        var plan = Plan(Observed("a.b", 12, 3, Set("cleanup.policy", "delete"), Set("retention.ms", "604800000"), Set("segment.bytes", "1024")));

        Assert.Equal([new UnmanagedConfig("a.b", "segment.bytes", "1024")], plan.UnmanagedConfigs);
        Assert.Empty(plan.ConfigChanges);
        Assert.True(plan.IsInSync);
    }

    [Fact]
    public void Plan_ExplicitConfigAbsentFromCatalogWithRemovePolicy_RemovesIt()
    {
        var cluster = new ClusterState([Observed("a.b", 12, 3, Set("cleanup.policy", "delete"), Set("retention.ms", "604800000"), Set("segment.bytes", "1024"))]);

        var plan = ProvisioningPlanner.Plan(_catalog, cluster, UnmanagedConfigPolicy.Remove);

        var change = Assert.Single(plan.ConfigChanges);
        Assert.True(change.IsRemoval);
        Assert.Equal(("segment.bytes", "1024"), (change.Name, change.Current?.Value));
        Assert.Empty(plan.UnmanagedConfigs);
    }

    [Fact]
    public void Plan_InheritedConfigAbsentFromCatalog_IsIgnored()
    {
        var plan = Plan(Observed("a.b", 12, 3, Set("cleanup.policy", "delete"), Set("retention.ms", "604800000"), Inherited("segment.bytes", "1073741824")));

        Assert.True(plan.IsInSync);
        Assert.Empty(plan.UnmanagedConfigs);
    }

    [Fact]
    public void Plan_PartitionCountDiffers_IsADisagreementNotAChange()
    {
        var plan = Plan(Observed("a.b", 6, 3, Set("cleanup.policy", "delete"), Set("retention.ms", "604800000")));

        Assert.Equal([new TopicDisagreement("a.b", TopicProperty.Partitions, Cluster: 6, Catalog: 12)], plan.Disagreements);
        Assert.False(plan.HasChanges);
        Assert.False(plan.IsInSync);
    }

    [Fact]
    public void Plan_ReplicationFactorDiffers_IsADisagreement()
    {
        var plan = Plan(Observed("a.b", 12, 1, Set("cleanup.policy", "delete"), Set("retention.ms", "604800000")));

        Assert.Equal([new TopicDisagreement("a.b", TopicProperty.ReplicationFactor, Cluster: 1, Catalog: 3)], plan.Disagreements);
    }

    [Fact]
    public void Plan_DisagreeingTopicWithConfigDrift_StillFixesConfigs()
    {
        var plan = Plan(Observed("a.b", 6, 3, Set("cleanup.policy", "delete"), Set("retention.ms", "1")));

        Assert.Single(plan.Disagreements);
        Assert.Equal("retention.ms", Assert.Single(plan.ConfigChanges).Name);
    }

    [Fact]
    public void Plan_TopicsOutsideTheCatalog_AreIgnored()
    {
        var plan = Plan(
            Observed("a.b", 12, 3, Set("cleanup.policy", "delete"), Set("retention.ms", "604800000")),
            Observed("__consumer_offsets", 50, 3, Set("cleanup.policy", "compact")));

        Assert.True(plan.IsInSync);
        Assert.Equal(1, plan.TopicCount);
    }

    private static ProvisioningPlan Plan(params ObservedTopic[] topics) => ProvisioningPlanner.Plan(_catalog, new ClusterState(topics));

    private static ObservedTopic Observed(string name, int partitions, short replicationFactor, params (string Name, ObservedConfig Config)[] configs) =>
        new(name, partitions, replicationFactor, configs.ToDictionary(c => c.Name, c => c.Config, StringComparer.Ordinal));

    private static (string, ObservedConfig) Set(string name, string value) => (name, new ObservedConfig(value, IsSetOnTopic: true));

    private static (string, ObservedConfig) Inherited(string name, string value) => (name, new ObservedConfig(value, IsSetOnTopic: false));
}
