using Confluent.Kafka;
using Streaming.Processing.Processors;
using Streaming.Processing.State;
using Streaming.Processing.Topology;

namespace Streaming.Processing.Tests.Tasks;

public sealed class TopologyBuilderTests
{
    [Fact]
    public void Build_SourceFeedingAnUndeclaredProcessor_NamesIt()
    {
        var builder = new TopologyBuilder("app").AddSource("in", Deserializers.Utf8, Deserializers.Utf8, "missing");

        var error = Assert.Throws<InvalidOperationException>(builder.Build);
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ProcessorUsingAnUndeclaredStore_NamesIt()
    {
        var builder = new TopologyBuilder("app")
            .AddSource("in", Deserializers.Utf8, Deserializers.Utf8, "p")
            .AddProcessor<string, string>("p", () => new Nothing(), "counts");

        var error = Assert.Throws<InvalidOperationException>(builder.Build);
        Assert.Contains("counts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SourceAndProcessorTypesDisagree_IsRefused()
    {
        var builder = new TopologyBuilder("app")
            .AddSource("in", Deserializers.Utf8, Deserializers.Int64, "p")
            .AddProcessor<string, string>("p", () => new Nothing());

        Assert.Throws<InvalidOperationException>(builder.Build);
    }

    [Fact]
    public void Build_ChangelogNames_FollowKafkaStreams()
    {
        var topology = new TopologyBuilder("taker-volume-spot")
            .AddSource("in", Deserializers.Utf8, Deserializers.Utf8, "p")
            .AddProcessor<string, string>("p", () => new Nothing(), "dedup")
            .AddStore(StoreDefinition.KeyValue("taker-volume-spot", "dedup", StateSerdes.Utf8, StateSerdes.Utf8))
            .Build();

        Assert.Equal("taker-volume-spot-dedup-changelog", Assert.Single(topology.Stores).ChangelogTopic);
        Assert.Equal("in", topology.DrivingTopic);
    }

    private sealed class Nothing : IProcessor<string, string>
    {
        public void Init(IProcessorContext context)
        {
        }

        public void Process(Record<string, string> record)
        {
        }
    }
}
