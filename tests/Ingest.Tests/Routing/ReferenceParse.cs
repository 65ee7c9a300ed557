using System.Text;
using System.Text.Json;
using Ingest.Routing;

namespace Ingest.Tests.Routing;

/// <summary>The oracle: what a full <see cref="JsonDocument"/> parse says the route of an event should be.</summary>
internal static class ReferenceParse
{
    public static void AssertRouteMatches(byte[] frame, in FrameRoute route, JsonElement data, string? stream)
    {
        Assert.Equal(data.GetRawText(), Encoding.UTF8.GetString(frame.AsSpan(route.Data)));
        Assert.Equal(stream is not null, route.IsCombined);
        if (stream is not null)
        {
            Assert.Equal(stream, Encoding.UTF8.GetString(frame.AsSpan(route.Stream)));
        }

        var eventType = data.GetProperty("e").GetString();
        Assert.Equal(eventType, Encoding.UTF8.GetString(frame.AsSpan(route.EventType)));
        Assert.Equal(data.GetProperty("s").GetString(), Encoding.UTF8.GetString(frame.AsSpan(route.Symbol)));
        Assert.Equal(data.GetProperty("E").GetInt64(), route.EventTime);
        switch (eventType)
        {
            case "aggTrade":
                Assert.Equal(FrameKind.AggTrade, route.Kind);
                Assert.Equal(data.GetProperty("a").GetInt64(), route.AggregateId);
                Assert.Equal(data.GetProperty("T").GetInt64(), route.TradeTime);
                break;
            case "depthUpdate":
                Assert.Equal(FrameKind.DepthUpdate, route.Kind);
                Assert.Equal(data.GetProperty("U").GetInt64(), route.FirstUpdateId);
                Assert.Equal(data.GetProperty("u").GetInt64(), route.FinalUpdateId);
                long? pu = data.TryGetProperty("pu", out var previous) ? previous.GetInt64() : null;
                Assert.Equal(pu, route.PreviousFinalUpdateId);
                Assert.Equal(data.TryGetProperty("T", out var transaction) ? transaction.GetInt64() : FrameRoute.Absent, route.TradeTime);
                Assert.Equal(FrameRoute.Absent, route.AggregateId);
                break;
            case "kline":
                Assert.Equal(FrameKind.Kline, route.Kind);
                var k = data.GetProperty("k");
                Assert.Equal(k.GetProperty("t").GetInt64(), route.KlineOpenTime);
                Assert.Equal(k.GetProperty("x").GetBoolean(), route.KlineClosed);
                break;
            default:
                Assert.Fail($"Not an event the router sequences: {eventType}");
                break;
        }
    }

    public static bool IsSequencedEvent(JsonElement data) =>
        data.ValueKind == JsonValueKind.Object
        && data.TryGetProperty("e", out var e)
        && e.GetString() is "aggTrade" or "depthUpdate" or "kline";
}
