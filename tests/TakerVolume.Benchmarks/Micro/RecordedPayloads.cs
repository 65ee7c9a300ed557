using System.Text;
using Streaming.Testing;

namespace TakerVolume.Benchmarks.Micro;

/// <summary>
/// Real Spot aggTrade payloads, exactly as Binance sent them: the <c>data</c> objects of the cryptofeed WebSocket
/// captures in tests/data/recordings (2021, several symbols, prices and quantities printed with 8 decimals).
/// </summary>
internal static class RecordedPayloads
{
    private static readonly string[] Captures = ["4fe0297", "3525dc8"];

    public static IReadOnlyList<(string Symbol, byte[] Payload)> SpotAggTrades()
    {
        const string StreamKey = "{\"stream\":\"";
        const string DataKey = "\",\"data\":";
        var payloads = new List<(string, byte[])>();
        foreach (var capture in Captures)
        {
            foreach (var line in File.ReadLines(RepoPaths.Combine("tests", "data", "recordings", "cryptofeed", capture, "BINANCE.ws.1.0")))
            {
                var start = line.IndexOf(StreamKey, StringComparison.Ordinal);
                var dataStart = start < 0 ? -1 : line.IndexOf(DataKey, start, StringComparison.Ordinal);
                if (dataStart < 0)
                {
                    continue;
                }

                var stream = line[(start + StreamKey.Length)..dataStart];
                if (!stream.EndsWith("@aggTrade", StringComparison.Ordinal) || !line.EndsWith('}'))
                {
                    continue;
                }

                var symbol = stream[..stream.IndexOf('@', StringComparison.Ordinal)].ToUpperInvariant();
                payloads.Add((symbol, Encoding.UTF8.GetBytes(line[(dataStart + DataKey.Length)..^1])));
            }
        }

        return payloads.Count > 0 ? payloads : throw new InvalidDataException("No aggTrade payload found in the cryptofeed captures.");
    }
}
