using System.Text;
using System.Text.Json;
using Ingest.Routing;

namespace Ingest.Tests.Routing;

/// <summary>Every event of the real captures routes exactly like a full parse says, wrapped, unwrapped and reordered.</summary>
public sealed class FrameRouterCaptureTests
{
    public static TheoryData<string, string> Files => CapturedFrames.Files;

    [Theory]
    [MemberData(nameof(Files))]
    public void CombinedFrames_RouteLikeAFullParse(string folder, string file)
    {
        var counts = new Dictionary<FrameKind, int>();
        foreach (var frame in CapturedFrames.Read(folder, file))
        {
            using var document = JsonDocument.Parse(frame);
            var data = document.RootElement.GetProperty("data");
            var stream = document.RootElement.GetProperty("stream").GetString();
            Assert.True(FrameRouter.TryRoute(frame, out var route));
            counts[route.Kind] = counts.GetValueOrDefault(route.Kind) + 1;
            if (ReferenceParse.IsSequencedEvent(data))
            {
                ReferenceParse.AssertRouteMatches(frame, route, data, stream);
            }
            else
            {
                // bookTicker: published untouched, keyed by its symbol.
                Assert.Equal(FrameKind.Other, route.Kind);
                Assert.Equal(data.GetRawText(), Encoding.UTF8.GetString(frame.AsSpan(route.Data)));
                Assert.Equal(data.GetProperty("s").GetString(), Encoding.UTF8.GetString(frame.AsSpan(route.Symbol)));
            }
        }

        Assert.True(counts.GetValueOrDefault(FrameKind.AggTrade) > 0);
        Assert.True(counts.GetValueOrDefault(FrameKind.DepthUpdate) > 0);
        Assert.True(counts.GetValueOrDefault(FrameKind.Kline) > 0);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void RawPayloads_RouteLikeAFullParse(string folder, string file)
    {
        var routed = 0;
        foreach (var frame in CapturedFrames.Read(folder, file))
        {
            using var document = JsonDocument.Parse(frame);
            var data = document.RootElement.GetProperty("data");
            if (!ReferenceParse.IsSequencedEvent(data))
            {
                continue;
            }

            var raw = Encoding.UTF8.GetBytes(data.GetRawText());
            Assert.True(FrameRouter.TryRoute(raw, out var route));
            Assert.Equal(new Range(0, raw.Length), route.Data);
            Assert.Equal(default(Range), route.Stream);
            ReferenceParse.AssertRouteMatches(raw, route, data, stream: null);
            routed++;
        }

        Assert.True(routed > 0);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void DataBeforeStream_RoutesTheSame(string folder, string file)
    {
        foreach (var frame in CapturedFrames.Read(folder, file))
        {
            using var document = JsonDocument.Parse(frame);
            var data = document.RootElement.GetProperty("data");
            if (!ReferenceParse.IsSequencedEvent(data))
            {
                continue;
            }

            var stream = document.RootElement.GetProperty("stream").GetString();
            var reordered = Encoding.UTF8.GetBytes($"{{ \"data\" : {data.GetRawText()} ,\n \"stream\":\"{stream}\" }}\n");
            Assert.True(FrameRouter.TryRoute(reordered, out var route));
            ReferenceParse.AssertRouteMatches(reordered, route, data, stream);
        }
    }
}
