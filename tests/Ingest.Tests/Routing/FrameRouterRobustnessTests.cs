using System.Text;
using System.Text.Json;
using Ingest.Routing;

namespace Ingest.Tests.Routing;

/// <summary>Broken input never throws into the receive loop and is never mistaken for an event.</summary>
public sealed class FrameRouterRobustnessTests
{
    private static readonly string[] Samples =
    [
        """{"stream":"ftmusdt@aggTrade","data":{"e":"aggTrade","E":1628952396000,"s":"FTMUSDT","a":40583297,"p":"0.33990000","q":"50.00000000","f":57154127,"l":57154127,"T":1628952395999,"m":true,"M":true}}""",
        """{"stream":"yfiusdt@aggTrade","data":{"e":"aggTrade","E":1618677448238,"a":52599685,"s":"YFIUSDT","p":"49966.7","q":"0.001","f":64902163,"l":64902163,"T":1618677448084,"m":false}}""",
        """{"stream":"xmrbtc@depth@100ms","data":{"e":"depthUpdate","E":1628952395768,"s":"XMRBTC","U":717720856,"u":717720857,"b":[],"a":[["0.00578700","31.23100000"],["0.00578800","26.04900000"]]}}""",
        """{"stream":"akrousdt@depth@100ms","data":{"e":"depthUpdate","E":1626992741077,"T":1626992740974,"s":"AKROUSDT","U":600859599831,"u":600859599831,"pu":600859598737,"b":[],"a":[["0.01737","437848"]]}}""",
        """{"stream":"busdtry@kline_1m","data":{"e":"kline","E":1618677374538,"s":"BUSDTRY","k":{"t":1618677360000,"T":1618677419999,"s":"BUSDTRY","i":"1m","f":1734546,"L":1734548,"o":"8.14000000","c":"8.13000000","h":"8.14000000","l":"8.13000000","v":"347.29000000","n":3,"x":false,"q":"2823.82770000","V":"36.00000000","Q":"293.04000000","B":"0"}}}""",
        """{"e":"aggTrade","E":1628952396000,"s":"FTMUSDT","a":40583297,"p":"0.33990000","q":"50.00000000","f":57154127,"l":57154127,"T":1628952395999,"m":true,"M":true}""",
        """{"result":["btcusdt@aggTrade"],"id":2}""",
        """{"error":{"code":2,"msg":"Invalid request: unknown variant"},"id":3}""",
        """{"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1750000000000}}""",
    ];

    public static TheoryData<int> SampleIndexes => [.. Enumerable.Range(0, Samples.Length)];

    [Theory]
    [MemberData(nameof(SampleIndexes))]
    public void EveryTruncation_IsRejected(int sample)
    {
        var frame = Encoding.UTF8.GetBytes(Samples[sample]);
        Assert.True(FrameRouter.TryRoute(frame, out _));
        for (var length = 0; length < frame.Length; length++)
        {
            // No proper prefix of an object is a complete JSON value, so every cut must fail.
            Assert.False(FrameRouter.TryRoute(frame.AsSpan(0, length), out var route), $"cut at {length}");
            Assert.Equal(default, route.Kind);
        }
    }

    [Fact]
    public void RandomCorruption_NeverThrows_AndInvalidJsonIsNeverRouted()
    {
        var random = new Random(1234);
        var frames = CapturedFrames.All();
        ReadOnlySpan<byte> alphabet = "{}[]\":,0123456789-.aeEsTUukxpt \\\0\u007f"u8;
        var routedEvents = 0;
        for (var trial = 0; trial < 20_000; trial++)
        {
            var frame = (byte[])frames[random.Next(frames.Count)].Clone();
            var edits = random.Next(1, 4);
            for (var i = 0; i < edits; i++)
            {
                frame[random.Next(frame.Length)] = random.Next(3) == 0 ? (byte)random.Next(256) : alphabet[random.Next(alphabet.Length)];
            }

            var routed = FrameRouter.TryRoute(frame, out var route);
            if (!IsValidJson(frame))
            {
                Assert.False(routed, Encoding.UTF8.GetString(frame));
                continue;
            }

            if (routed && route.Kind is FrameKind.AggTrade or FrameKind.DepthUpdate or FrameKind.Kline)
            {
                routedEvents++;
                Assert.True(route.Data.End.Value <= frame.Length && route.Symbol.End.Value <= frame.Length);
                Assert.True(route.HasSymbol);
            }
        }

        Assert.True(routedEvents > 1000, $"only {routedEvents} corrupted frames were still valid events");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("42")]
    [InlineData("\"text\"")]
    [InlineData("null")]
    [InlineData("{\"e\":\"aggTrade\"} trailing")]
    [InlineData("{\"e\":\"aggTrade\"}{}")]
    [InlineData("{\"e\":\"aggTrade\",}")]
    [InlineData("{\"e\":\"aggTrade\",\"s\":\"BTCUSDT\",\"a\":1}")]
    [InlineData("{\"e\":\"aggTrade\",\"s\":\"BTCUSDT\",\"a\":\"1\",\"T\":2}")]
    [InlineData("{\"e\":\"aggTrade\",\"s\":\"BTCUSDT\",\"a\":1.5,\"T\":2}")]
    [InlineData("{\"e\":\"depthUpdate\",\"s\":\"BTCUSDT\",\"U\":1}")]
    [InlineData("{\"e\":\"kline\",\"s\":\"BTCUSDT\",\"k\":{\"t\":1}}")]
    [InlineData("{\"stream\":\"btcusdt@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"s\":\"BTCUSDT\",\"T\":2}}")]
    [InlineData("// comment\n{}")]
    public void MalformedOrIncompleteEvents_AreRejected(string text)
    {
        Assert.False(FrameRouter.TryRoute(Encoding.UTF8.GetBytes(text), out _));
    }

    private static bool IsValidJson(byte[] frame)
    {
        try
        {
            using var document = JsonDocument.Parse(frame);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
