using static Streaming.Topics.Tests.Support.CatalogYaml;

namespace Streaming.Topics.Tests.Catalog;

public sealed class CatalogParsingTests
{
    [Fact]
    public void Parse_TopicOverridesDefaults_MergesBoth()
    {
        var yaml = WithDefaults(
            """
            defaults:
              replicationFactor: 3
              configs:
                min.insync.replicas: "2"
                retention.ms: "604800000"
            """,
            Topic("a.b", 6, "replicationFactor: 2", "copartition: g", "configs:", "  retention.ms: \"86400000\"", "  cleanup.policy: compact"));

        var topic = Parse(yaml).Get("a.b");

        Assert.Equal(
            new TopicSpec("a.b", "test topic", "tests", "symbol", "test.v1.Value", 6, 2, topic.Configs, "g"),
            topic);
        Assert.Equal(
            [new("cleanup.policy", "compact"), new("min.insync.replicas", "2"), new KeyValuePair<string, string>("retention.ms", "86400000")],
            topic.Configs);
    }

    [Fact]
    public void Parse_UnquotedNumbers_AreKeptAsTheirText()
    {
        var topic = Parse(Document(Topic("a.b", 12, "configs:", "  retention.ms: 604800000"))).Get("a.b");

        Assert.Equal("604800000", topic.Configs["retention.ms"]);
    }

    [Fact]
    public void Parse_Topics_KeepDeclarationOrder()
    {
        var catalog = Parse(Document(Topic("z"), Topic("a"), Topic("m")));

        Assert.Equal(["z", "a", "m"], catalog.Topics.Select(topic => topic.Name));
        Assert.Equal("test.yaml", catalog.SourceName);
    }

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => TopicCatalog.Load(Path.Combine(AppContext.BaseDirectory, "no-such-catalog.yaml")));
    }

    [Fact]
    public void WithReplicationFactor_BelowMinInsyncReplicas_LowersMinInsyncReplicasToo()
    {
        var topic = Spec("a.b", 12, 3, ("min.insync.replicas", "2"), ("retention.ms", "1000"));

        var lowered = topic.WithReplicationFactor(1);

        Assert.Equal(1, lowered.ReplicationFactor);
        Assert.Equal("1", lowered.Configs["min.insync.replicas"]);
        Assert.Equal("1000", lowered.Configs["retention.ms"]);
    }

    [Fact]
    public void WithReplicationFactor_AtOrAboveMinInsyncReplicas_KeepsIt()
    {
        var topic = Spec("a.b", 12, 3, ("min.insync.replicas", "2"));

        Assert.Equal("2", topic.WithReplicationFactor(2).Configs["min.insync.replicas"]);
    }

    [Fact]
    public void WithReplicationFactor_Zero_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Spec("a.b").WithReplicationFactor(0));
    }

    [Fact]
    public void WithMaxReplicationFactor_OneBrokerCluster_ClampsOnlyLargerFactors()
    {
        var catalog = Parse(Document(Topic("a.b"), Topic("a.c", 12, "replicationFactor: 1", "configs:", "  min.insync.replicas: \"1\"")));

        var clamped = catalog.WithMaxReplicationFactor(1);

        Assert.All(clamped.Topics, topic => Assert.Equal((1, "1"), (topic.ReplicationFactor, topic.Configs["min.insync.replicas"])));
        Assert.Same(catalog.Get("a.c"), clamped.Get("a.c"));
        Assert.Equal(3, catalog.Get("a.b").ReplicationFactor);
    }

    [Fact]
    public void WithMaxReplicationFactor_DeployedCatalog_FitsOneBroker()
    {
        var clamped = TopicCatalog.LoadDefault().WithMaxReplicationFactor(1);

        Assert.All(clamped.Topics, topic => Assert.Equal(1, topic.ReplicationFactor));
        Assert.All(clamped.Topics, topic => Assert.Equal("1", topic.Configs["min.insync.replicas"]));
    }
}
