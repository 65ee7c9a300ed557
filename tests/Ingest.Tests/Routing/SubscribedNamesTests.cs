using System.Text;
using Ingest.Routing;

namespace Ingest.Tests.Routing;

public sealed class SubscribedNamesTests
{
    [Fact]
    public void PublishedNames_ComeBackAsTheSameInstance_OthersAsNewStringsThatDoNotGrowTheTable()
    {
        var names = new SubscribedNames();
        var stream = "btcusdt@aggTrade";
        names.Publish(["BTCUSDT", stream]);

        Assert.Same(stream, names.Get("btcusdt@aggTrade"u8));
        var unknown = names.Get("ethusdt@aggTrade"u8);
        Assert.Equal("ethusdt@aggTrade", unknown);
        Assert.NotSame(unknown, names.Get("ethusdt@aggTrade"u8));

        var replacement = "ethusdt@aggTrade";
        names.Publish([replacement]);
        Assert.Same(replacement, names.Get(Encoding.UTF8.GetBytes(replacement)));
        Assert.NotSame(stream, names.Get("btcusdt@aggTrade"u8));
    }
}
