using static Streaming.Topics.Tests.Support.CatalogYaml;

namespace Streaming.Topics.Tests.Catalog;

/// <summary>One test per rule: each names the topic and the field at fault.</summary>
public sealed class CatalogValidationTests
{
    [Theory]
    [InlineData("binance.spot.trade$.v1", "'$'")]
    [InlineData("binance/spot", "'/'")]
    [InlineData("\"with space\"", "' '")]
    public void Parse_IllegalCharacterInName_ReportsNameField(string name, string character)
    {
        var problem = SingleProblem(Document(Topic(name)));

        Assert.Equal("name", problem.Field);
        Assert.Contains(character, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NameLongerThan249Characters_ReportsNameField()
    {
        var name = new string('a', 250);

        var problem = SingleProblem(Document(Topic(name)));

        Assert.Equal((name, "name"), (problem.Topic, problem.Field));
        Assert.Contains("249", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NameOf249Characters_IsAccepted()
    {
        var catalog = Parse(Document(Topic(new string('a', 249))));

        Assert.Single(catalog.Topics);
    }

    [Theory]
    [InlineData("\".\"")]
    [InlineData("\"..\"")]
    public void Parse_DotOrDotDotName_ReportsNameField(string name)
    {
        var problem = SingleProblem(Document(Topic(name)));

        Assert.Equal("name", problem.Field);
        Assert.Contains("not allowed", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateName_ReportsSecondDeclarationWithFirstLine()
    {
        var problem = SingleProblem(Document(Topic("a.b"), Topic("a.b")));

        Assert.Equal(("a.b", "name"), (problem.Topic, problem.Field));
        Assert.Contains("declared twice (first at line 6)", problem.Message, StringComparison.Ordinal);
        Assert.Equal(12, problem.Line);
    }

    [Fact]
    public void Parse_NamesCollidingInMetrics_ReportsTheSecond()
    {
        var problem = SingleProblem(Document(Topic("a.b"), Topic("a_b")));

        Assert.Equal(("a_b", "name"), (problem.Topic, problem.Field));
        Assert.Contains("collides with 'a.b'", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Parse_PartitionsBelowOne_ReportsPartitionsField(int partitions)
    {
        var problem = SingleProblem(Document(Topic("a.b", partitions)));

        Assert.Equal(("a.b", "partitions"), (problem.Topic, problem.Field));
        Assert.Contains("at least 1", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ReplicationFactorBelowOne_ReportsReplicationFactorField()
    {
        var problem = SingleProblem(Document(Topic("a.b", 12, "replicationFactor: 0")));

        Assert.Equal(("a.b", "replicationFactor"), (problem.Topic, problem.Field));
        Assert.Contains("at least 1 (was 0)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MinInsyncReplicasAboveReplicationFactor_ReportsTheConfig()
    {
        // The default min.insync.replicas of 2 meets a topic that lowers its replication factor to 1.
        var problem = SingleProblem(Document(Topic("a.b", 12, "replicationFactor: 1")));

        Assert.Equal(("a.b", "configs.min.insync.replicas"), (problem.Topic, problem.Field));
        Assert.Contains("exceeds the replication factor 1", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("compacted")]
    [InlineData("delete,delete")]
    [InlineData("compact;delete")]
    public void Parse_UnknownCleanupPolicy_ReportsTheConfig(string policy)
    {
        var problem = SingleProblem(Document(Topic("a.b", 12, "configs:", $"  cleanup.policy: \"{policy}\"")));

        Assert.Equal(("a.b", "configs.cleanup.policy"), (problem.Topic, problem.Field));
        Assert.Contains("is not a cleanup policy", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("compact,delete")]
    [InlineData("delete, compact")]
    public void Parse_CombinedCleanupPolicies_AreAccepted(string policy)
    {
        var catalog = Parse(Document(Topic("a.b", 12, "configs:", $"  cleanup.policy: \"{policy}\"")));

        Assert.Equal(policy, catalog.Get("a.b").Configs["cleanup.policy"]);
    }

    [Theory]
    [InlineData("retention.ms", "7d")]
    [InlineData("segment.ms", "1h")]
    [InlineData("max.message.bytes", "1MiB")]
    [InlineData("min.insync.replicas", "two")]
    [InlineData("retention.bytes", "1.5")]
    public void Parse_NonNumericNumericConfig_ReportsTheConfig(string config, string value)
    {
        var problem = SingleProblem(Document(Topic("a.b", 12, "configs:", $"  {config}: \"{value}\"")));

        Assert.Equal(("a.b", "configs." + config), (problem.Topic, problem.Field));
        Assert.Contains("not an integer", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("compression.type", "brotli")]
    [InlineData("unclean.leader.election.enable", "yes")]
    [InlineData("min.cleanable.dirty.ratio", "1.5")]
    [InlineData("message.timestamp.type", "EventTime")]
    public void Parse_ValueOutsideConfigsDomain_ReportsTheConfig(string config, string value)
    {
        var problem = SingleProblem(Document(Topic("a.b", 12, "configs:", $"  {config}: \"{value}\"")));

        Assert.Equal(("a.b", "configs." + config), (problem.Topic, problem.Field));
    }

    [Fact]
    public void Parse_UnknownConfigName_ReportsItAsTypo()
    {
        var problem = SingleProblem(Document(Topic("a.b", 12, "configs:", "  retention.msec: \"1000\"")));

        Assert.Equal(("a.b", "configs.retention.msec"), (problem.Topic, problem.Field));
        Assert.Contains("not a Kafka topic config", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CopartitionGroupWithDifferentCounts_ReportsTheOddTopic()
    {
        var problem = SingleProblem(Document(
            Topic("a.source", 12, "copartition: g"),
            Topic("a.changelog", 6, "copartition: g"),
            Topic("other.group", 6, "copartition: h")));

        Assert.Equal(("a.changelog", "partitions"), (problem.Topic, problem.Field));
        Assert.Contains("differs from 12 of 'a.source' in copartition group 'g'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownTopicKey_ReportsTheTypo()
    {
        var problem = SingleProblem(Document(Topic("a.b", 12, "partitons: 6")));

        Assert.Equal(("a.b", "partitons"), (problem.Topic, problem.Field));
        Assert.Contains("unknown key", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownDefaultsAndRootKeys_AreReported()
    {
        var yaml = WithDefaults(
            """
            version: 2
            defaults:
              replicationFactr: 3
              replicationFactor: 3
            """,
            Topic("a.b"));

        var problems = Problems(yaml);

        Assert.Equal([(null, "version"), ("defaults", "replicationFactr")], problems.Select(p => (p.Topic, p.Field)));
    }

    [Fact]
    public void Parse_MissingRequiredFields_ReportsEach()
    {
        var yaml = Document("  - name: a.b\n    description: d\n    key: symbol\n");

        var problems = Problems(yaml);

        Assert.Equal(["owner", "value", "partitions"], problems.Select(p => p.Field));
        Assert.All(problems, p => Assert.Equal("a.b", p.Topic));
    }

    [Fact]
    public void Parse_EntryWithoutName_IsReportedByPosition()
    {
        var problems = Problems(Document(Topic("a.b"), "  - description: d\n    owner: o\n    key: k\n    value: v\n    partitions: 1\n"));

        Assert.Equal(("topics[1]", "name"), (problems[0].Topic, problems[0].Field));
    }

    [Fact]
    public void Parse_NoReplicationFactorAnywhere_ReportsTheTopic()
    {
        var problem = SingleProblem(WithDefaults("", Topic("a.b")));

        Assert.Equal(("a.b", "replicationFactor"), (problem.Topic, problem.Field));
    }

    [Fact]
    public void Parse_NonIntegerPartitions_ReportsPartitionsField()
    {
        var yaml = Document(Topic("a.b").Replace("partitions: 12", "partitions: twelve", StringComparison.Ordinal));

        var problem = SingleProblem(yaml);

        Assert.Equal(("a.b", "partitions"), (problem.Topic, problem.Field));
        Assert.Contains("'twelve' is not an integer", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("copartition: [a, b]", "copartition", "single value")]
    [InlineData("configs: [retention.ms]", "configs", "mapping")]
    [InlineData("configs: { retention.ms: [1, 2] }", "configs.retention.ms", "single value")]
    public void Parse_ValueOfWrongShape_ReportsTheField(string line, string field, string expected)
    {
        var problem = SingleProblem(Document(Topic("a.b", 12, line)));

        Assert.Equal(("a.b", field), (problem.Topic, problem.Field));
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidYaml_ReportsTheLine()
    {
        var problem = SingleProblem("topics:\n  - name: a\n   bad indentation: [\n");

        Assert.Equal("(yaml)", problem.Field);
        Assert.NotNull(problem.Line);
    }

    [Fact]
    public void Parse_BadDefaultConfig_ReportsItOnceAgainstDefaults()
    {
        var yaml = WithDefaults(
            """
            defaults:
              replicationFactor: 3
              configs:
                retention.ms: "a week"
            """,
            Topic("a.b"),
            Topic("a.c"));

        var problem = SingleProblem(yaml);

        Assert.Equal(("defaults", "configs.retention.ms"), (problem.Topic, problem.Field));
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsAllTogetherInDocumentOrder()
    {
        var yaml = Document(
            Topic("a.b", 0),
            Topic("a$c", 12, "configs:", "  retention.ms: forever"),
            Topic("a.d", 12, "ownr: me"));

        var error = Assert.Throws<TopicCatalogException>(() => Parse(yaml));

        Assert.Equal(
            [("a.b", "partitions"), ("a$c", "configs.retention.ms"), ("a$c", "name"), ("a.d", "ownr")],
            error.Problems.Select(p => (p.Topic, p.Field)));
        Assert.StartsWith("Topic catalog test.yaml is invalid (4 problems):", error.Message, StringComparison.Ordinal);
        Assert.Contains("topic 'a.d', ownr: unknown key", error.Message, StringComparison.Ordinal);
        Assert.Equal("test.yaml", error.SourceName);
    }

    private static List<TopicCatalogProblem> Problems(string yaml) =>
        [.. Assert.Throws<TopicCatalogException>(() => Parse(yaml)).Problems];

    private static TopicCatalogProblem SingleProblem(string yaml) => Assert.Single(Problems(yaml));
}
