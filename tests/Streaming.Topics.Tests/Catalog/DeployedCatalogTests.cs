using System.Text.RegularExpressions;

namespace Streaming.Topics.Tests.Catalog;

/// <summary>deploy/topics.yaml itself: valid, embedded, and following its own conventions.</summary>
public sealed partial class DeployedCatalogTests
{
    private static readonly TopicCatalog _catalog = TopicCatalog.LoadDefault();

    [Fact]
    public void LoadDefault_EmbeddedCatalog_MatchesDeployFile()
    {
        var file = TopicCatalog.Load(Path.Combine(AppContext.BaseDirectory, "deploy", "topics.yaml"));

        Assert.Equal(file.Topics, _catalog.Topics, (left, right) =>
            left.Name == right.Name && left.Partitions == right.Partitions && left.ReplicationFactor == right.ReplicationFactor
            && left.Configs.OrderBy(c => c.Key).SequenceEqual(right.Configs.OrderBy(c => c.Key)));
    }

    [Fact]
    public void LoadDefault_EveryTopic_FollowsNamingConvention()
    {
        var offenders = _catalog.Topics
            .Select(topic => topic.Name)
            .Where(name => !DataTopicName().IsMatch(name) && !ChangelogName().IsMatch(name));

        Assert.Empty(offenders);
    }

    [Fact]
    public void LoadDefault_Changelogs_AreCompactedAndCopartitionedWithASource()
    {
        var changelogs = _catalog.Topics.Where(topic => topic.Name.EndsWith("-changelog", StringComparison.Ordinal)).ToList();

        Assert.Equal(8, changelogs.Count);
        Assert.All(changelogs, changelog =>
        {
            Assert.Equal("compact", changelog.Configs["cleanup.policy"]);
            Assert.NotNull(changelog.CopartitionGroup);
            Assert.Contains(_catalog.Topics, topic =>
                topic.CopartitionGroup == changelog.CopartitionGroup && topic.Name.Contains(".raw", StringComparison.Ordinal));
        });
    }

    [Theory]
    [InlineData("spot")]
    [InlineData("usdm")]
    public void LoadDefault_EachMarket_HasRawFeedsForBothRegionsAndTheMergedDepth(string market)
    {
        foreach (var name in new[]
        {
            $"binance.{market}.aggtrade.raw.v1",
            $"binance.{market}.kline-15m.raw.v1",
            $"binance.{market}.depth.raw-a.v1",
            $"binance.{market}.depth.raw-b.v1",
            $"binance.{market}.depth.merged.v1",
            $"depth-merger-{market}-sequence-changelog",
        })
        {
            Assert.Equal(12, _catalog.Get(name).Partitions);
        }

        Assert.Equal(_catalog.Get($"binance.{market}.depth.raw-a.v1").CopartitionGroup, _catalog.Get($"depth-merger-{market}-sequence-changelog").CopartitionGroup);
    }

    [Fact]
    public void LoadDefault_Defaults_ReachEveryTopic()
    {
        Assert.All(_catalog.Topics, topic =>
        {
            Assert.Equal(3, topic.ReplicationFactor);
            Assert.Equal("2", topic.Configs["min.insync.replicas"]);
            Assert.Equal("false", topic.Configs["unclean.leader.election.enable"]);
        });
    }

    [Fact]
    public void LoadDefault_TopicsThatDelete_StateTheirRetention()
    {
        var deleting = _catalog.Topics.Where(topic => topic.Configs["cleanup.policy"].Contains("delete", StringComparison.Ordinal));

        Assert.All(deleting, topic => Assert.True(topic.Configs.ContainsKey("retention.ms"), topic.Name));
    }

    [Fact]
    public void LoadDefault_SlidingResultsAndSnapshots_AreCompacted()
    {
        Assert.Equal("compact", _catalog.Get("binance.spot.taker-volume.sliding-15m.v1").Configs["cleanup.policy"]);
        Assert.Equal("compact", _catalog.Get("binance.usdm.depth.snapshots.v1").Configs["cleanup.policy"]);
    }

    [Fact]
    public void Get_UnknownTopic_ThrowsNamingIt()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => _catalog.Get("binance.spot.nope.raw.v1"));

        Assert.Contains("'binance.spot.nope.raw.v1'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryGet_KnownAndUnknownTopics_AnswersWithoutThrowing()
    {
        Assert.True(_catalog.TryGet("binance.all.feed.gaps.v1", out var gaps));
        Assert.Equal("binance.ops.v1.FeedGap", gaps.Value);
        Assert.False(_catalog.TryGet("nope", out _));
    }

    [GeneratedRegex(@"^(binance|platform)\.(spot|usdm|all)\.[a-z0-9]+(-[a-z0-9]+)*\.[a-z0-9]+(-[a-z0-9]+)*\.v[1-9][0-9]*$")]
    private static partial Regex DataTopicName();

    [GeneratedRegex(@"^(taker-volume|depth-merger)-(spot|usdm)-[a-z]+-changelog$")]
    private static partial Regex ChangelogName();
}
