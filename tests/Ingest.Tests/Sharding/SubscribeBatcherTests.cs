using System.Text;
using System.Text.Json;
using Ingest.Sharding;

namespace Ingest.Tests.Sharding;

public sealed class SubscribeBatcherTests
{
    [Fact]
    public void Message_IsExactlyBinancesFormat()
    {
        var messages = SubscribeBatcher.Batch("SUBSCRIBE", ["btcusdt@aggTrade", "ethusdt@kline_1m@+08:00"], firstId: 7).ToList();
        var (id, json) = Assert.Single(messages);
        Assert.Equal(7, id);
        Assert.Equal("""{"method":"SUBSCRIBE","params":["btcusdt@aggTrade","ethusdt@kline_1m@+08:00"],"id":7}""", Encoding.ASCII.GetString(json));
        Assert.Empty(SubscribeBatcher.Batch("UNSUBSCRIBE", [], firstId: 1));
    }

    [Theory]
    [InlineData(1234, 200, SubscribeBatcher.DefaultMaxBytes)]
    [InlineData(1235, 200, SubscribeBatcher.DefaultMaxBytes)]
    [InlineData(1236, 7, 400)]
    [InlineData(1237, 1000, 2000)]
    public void RandomStreamLists_SplitIntoMaximalBoundedMessages(int seed, int maxParams, int maxBytes)
    {
        var random = new Random(seed);
        for (var trial = 0; trial < 20; trial++)
        {
            var streams = new List<string>();
            var count = random.Next(0, 1500);
            for (var i = 0; i < count; i++)
            {
                streams.Add(RandomStream(random));
            }

            var firstId = random.NextInt64(0, long.MaxValue / 2);
            var messages = SubscribeBatcher.Batch("UNSUBSCRIBE", streams, firstId, maxParams, maxBytes).ToList();
            var all = new List<string>();
            for (var m = 0; m < messages.Count; m++)
            {
                var (id, json) = messages[m];
                Assert.Equal(firstId + m, id);
                Assert.True(json.Length <= maxBytes);
                using var document = JsonDocument.Parse(json);
                var root = document.RootElement;
                Assert.Equal("UNSUBSCRIBE", root.GetProperty("method").GetString());
                Assert.Equal(id, root.GetProperty("id").GetInt64());
                var parameters = root.GetProperty("params").EnumerateArray().Select(p => p.GetString()!).ToList();
                Assert.InRange(parameters.Count, 1, maxParams);
                all.AddRange(parameters);
                if (m < messages.Count - 1 && parameters.Count < maxParams)
                {
                    // Greedy: the next stream did not fit in this message's bytes.
                    var next = streams[all.Count];
                    Assert.True(json.Length + next.Length + 3 > maxBytes);
                }
            }

            Assert.Equal(streams, all);
        }
    }

    [Fact]
    public void IdSource_IsCalledOncePerMessage()
    {
        var streams = Enumerable.Range(0, 450).Select(i => $"s{i}usdt@aggTrade").ToList();
        var next = 100L;
        var messages = SubscribeBatcher.Batch("SUBSCRIBE", streams, () => ++next).ToList();
        Assert.Equal(3, messages.Count);
        Assert.Equal(103, next);
        Assert.EndsWith(",\"id\":103}", Encoding.ASCII.GetString(messages[^1]));
    }

    [Fact]
    public void InvalidInput_Throws()
    {
        Assert.Throws<ArgumentException>(() => SubscribeBatcher.Batch("SUBSCRIBE", ["bad\"name"], 1));
        Assert.Throws<ArgumentException>(() => SubscribeBatcher.Batch("SUBSCRIBE", ["with space"], 1));
        Assert.Throws<ArgumentException>(() => SubscribeBatcher.Batch("SUBSCRIBE", [""], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SubscribeBatcher.Batch("SUBSCRIBE", ["a"], 1, maxParams: 0));
        Assert.Throws<ArgumentException>(() => SubscribeBatcher.Batch("SUBSCRIBE", [new string('a', 100)], 1, maxBytes: 64).ToList());
    }

    private static string RandomStream(Random random)
    {
        var chars = new char[random.Next(3, 60)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)('a' + random.Next(26));
        }

        return new string(chars) + (random.Next(2) == 0 ? "@aggTrade" : "@depth@100ms");
    }
}
