using System.Text;
using Streaming.Testing;

namespace Ingest.Tests.Routing;

/// <summary>
/// The vendored cryptofeed WebSocket captures (tests/data/recordings/cryptofeed, provenance in its README):
/// the first line is the URL, then <c>&lt;epoch_s&gt;: &lt;combined-stream JSON&gt;</c>. Real frames, so the
/// router is tested against what Binance actually sent, field order included.
/// </summary>
internal static class CapturedFrames
{
    public static TheoryData<string, string> Files => new()
    {
        { "4fe0297", "BINANCE.ws.1.0" },
        { "3525dc8", "BINANCE.ws.1.0" },
        { "3525dc8", "BINANCE_FUTURES.ws.5.0" },
        { "906605d", "BINANCE_FUTURES.ws.1.0" },
    };

    public static IReadOnlyList<byte[]> Read(string folder, string file)
    {
        var path = RepoPaths.Combine("tests", "data", "recordings", "cryptofeed", folder, file);
        Assert.True(File.Exists(path), $"Recording {path} is missing.");
        var frames = new List<byte[]>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var separator = line.IndexOf(": ", StringComparison.Ordinal);
            if (separator > 0)
            {
                frames.Add(Encoding.UTF8.GetBytes(line[(separator + 2)..]));
            }
        }

        Assert.NotEmpty(frames);
        return frames;
    }

    /// <summary>All frames of all captures.</summary>
    public static IReadOnlyList<byte[]> All()
    {
        var all = new List<byte[]>();
        foreach (var row in Files)
        {
            var (folder, file) = row.Data;
            all.AddRange(Read(folder, file));
        }

        return all;
    }
}
