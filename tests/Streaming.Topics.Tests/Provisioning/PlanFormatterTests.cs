using Streaming.Topics.Provisioning;
using static Streaming.Topics.Tests.Support.CatalogYaml;

namespace Streaming.Topics.Tests.Provisioning;

public sealed class PlanFormatterTests
{
    [Fact]
    public void Format_EveryKindOfLine_RendersReadableDiff()
    {
        var created = Spec("t.new", 12, 3, ("cleanup.policy", "compact"), ("min.insync.replicas", "2"));
        var plan = new ProvisioningPlan(
            TopicCount: 4,
            TopicsToCreate: [created],
            ConfigChanges:
            [
                new ConfigChange("t.x", "retention.ms", new ObservedConfig("86400000", true), "604800000"),
                new ConfigChange("t.x", "min.insync.replicas", new ObservedConfig("1", false), "2"),
                new ConfigChange("t.x", "compression.type", null, "zstd"),
                new ConfigChange("t.x", "flush.ms", new ObservedConfig("1000", true), null),
            ],
            UnmanagedConfigs: [new UnmanagedConfig("t.y", "segment.bytes", "1024")],
            Disagreements:
            [
                new TopicDisagreement("t.y", TopicProperty.Partitions, 6, 12),
                new TopicDisagreement("t.z", TopicProperty.ReplicationFactor, 1, 3),
            ]);

        var text = PlanFormatter.Format(plan);

        Assert.Equal(
            """
            + topic t.new (12 partitions, rf 3)
                cleanup.policy=compact
                min.insync.replicas=2
            ~ topic t.x: retention.ms 86400000 -> 604800000
            ~ topic t.x: min.insync.replicas 1 (inherited) -> 2
            ~ topic t.x: compression.type (unset) -> zstd
            - topic t.x: flush.ms 1000 (not in the catalog; removed)
            ? topic t.y: segment.bytes=1024 is set on the cluster but not in the catalog (kept)
            ! topic t.y: partitions 6 (cluster) != 12 (catalog); changing the count remaps keys and breaks co-partitioning: recreate or migrate the topic by hand
            ! topic t.z: replication factor 1 (cluster) != 3 (catalog); needs a partition reassignment (kafka-reassign-partitions) by hand
            Plan: 1 topic to create, 4 config changes, 1 unmanaged config, 2 disagreements to resolve by hand.

            """,
            text);
    }

    [Fact]
    public void Format_InSync_SaysSoInOneLine()
    {
        var plan = new ProvisioningPlan(32, [], [], [], []);

        Assert.Equal("In sync: 32 topics match the catalog.\n", PlanFormatter.Format(plan));
    }

    [Fact]
    public void Format_InSyncWithUnmanagedConfigs_MentionsThem()
    {
        var plan = new ProvisioningPlan(1, [], [], [new UnmanagedConfig("t", "flush.ms", "1"), new UnmanagedConfig("t", "preallocate", "true")], []);

        Assert.EndsWith("In sync: 1 topic matches the catalog; 2 unmanaged configs left alone.\n", PlanFormatter.Format(plan), StringComparison.Ordinal);
    }
}
