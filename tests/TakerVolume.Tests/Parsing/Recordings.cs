using System.Text;
using BinanceRecordings;
using Streaming.Testing;

namespace TakerVolume.Tests.Parsing;

/// <summary>
/// The real Binance recordings in tests/data/recordings (provenance in its README.md). The payloads
/// are cut out of the capture lines here, independently of BinanceRecordings' readers, which serve
/// as the reference the parsers are compared with.
/// </summary>
internal static class Recordings
{
    public static string File(params string[] relativePath)
    {
        var path = RepoPaths.Combine(["tests", "data", "recordings", .. relativePath]);
        return System.IO.File.Exists(path) ? path : throw new FileNotFoundException($"Recording {path} is missing from tests/data/recordings.", path);
    }

    /// <summary>The cryptofeed WebSocket captures (spot and USD-M futures): folder and file.</summary>
    public static TheoryData<string, string> CryptofeedCaptures => new()
    {
        { "4fe0297", "BINANCE.ws.1.0" },
        { "3525dc8", "BINANCE.ws.1.0" },
        { "3525dc8", "BINANCE_FUTURES.ws.5.0" },
        { "906605d", "BINANCE_FUTURES.ws.1.0" },
    };

    public static string BinanceVisionAggTrades => File("binance-vision", "BTCUSDT-aggTrades-2026-01-01.csv");

    /// <summary>
    /// The data objects of the capture's lines whose stream name ends in <paramref name="streamSuffix"/>
    /// (e.g. "@aggTrade", "@kline_1m"), with the symbol of the stream name, upper case, and the line number.
    /// </summary>
    public static IReadOnlyList<RecordedPayload> Payloads(string folder, string file, string streamSuffix)
    {
        var payloads = new List<RecordedPayload>();
        var lineNumber = 0;
        foreach (var line in System.IO.File.ReadLines(File("cryptofeed", folder, file)))
        {
            lineNumber++;
            const string StreamKey = "{\"stream\":\"";
            const string DataKey = "\",\"data\":";
            var start = line.IndexOf(StreamKey, StringComparison.Ordinal);
            if (start < 0)
            {
                continue; // the URL line
            }

            var streamEnd = line.IndexOf(DataKey, start, StringComparison.Ordinal);
            var stream = line[(start + StreamKey.Length)..streamEnd];
            if (!stream.EndsWith(streamSuffix, StringComparison.Ordinal))
            {
                continue;
            }

            Assert.EndsWith("}", line, StringComparison.Ordinal);
            var data = line[(streamEnd + DataKey.Length)..^1];
            var symbol = stream[..stream.IndexOf('@', StringComparison.Ordinal)].ToUpperInvariant();
            payloads.Add(new RecordedPayload(lineNumber, symbol, Encoding.UTF8.GetBytes(data)));
        }

        return payloads;
    }

    /// <summary>BinanceRecordings' reading of the same capture, by line number.</summary>
    public static async Task<Dictionary<long, CapturedMessage>> ReferenceAsync(string folder, string file)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var messages = await CryptofeedCaptureReader.ReadFileAsync(File("cryptofeed", folder, file), cancellation).ToListAsync(cancellation);
        return messages.ToDictionary(message => message.LineNumber);
    }
}

/// <summary>One recorded payload: the capture's line, the stream's symbol, the data object's bytes.</summary>
internal sealed record RecordedPayload(long LineNumber, string Symbol, byte[] Json)
{
    public override string ToString() => Encoding.UTF8.GetString(Json);
}
