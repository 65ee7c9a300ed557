using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using BinanceRecordings;

namespace ExchangeSimulator.Replay;

/// <summary>
/// Reads the replay's own capture format, JSON lines (<c>*.jsonl</c>, or gzip <c>*.jsonl.gz</c>), for recordings
/// made by hand or by other tools. One message per line, optionally preceded by the recorder's receive time in
/// nanoseconds and a space (as hftbacktest writes; ignored: replay orders by the exchange's <c>E</c>):
/// <list type="bullet">
/// <item>a raw stream payload: <c>{"e":"aggTrade","E":…,"s":"BTCUSDT",…}</c>;</item>
/// <item>a combined-stream message: <c>{"stream":"btcusdt@aggTrade","data":{…}}</c>;</item>
/// <item>a REST depth snapshot, which does not name its symbol, wrapped to name it: <c>{"snapshot":"BTCUSDT","data":{"lastUpdateId":…,"bids":[…],"asks":[…]}}</c>.</item>
/// </list>
/// A bare snapshot (<c>lastUpdateId</c> without the wrapper) is refused rather than guessed. Blank lines are skipped.
/// Messages come out as <see cref="CapturedMessage"/>s, as the other capture readers give them, so one path parses them all.
/// </summary>
internal static class JsonLinesReader
{
    /// <exception cref="RecordingFormatException">A malformed line, naming the file and the line.</exception>
    public static async IAsyncEnumerable<CapturedMessage> ReadFileAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = RecordingFileStreams.OpenText(path);
        long lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return ParseLine(Encoding.UTF8.GetBytes(line), path, lineNumber);
            }
        }
    }

    public static CapturedMessage ParseLine(byte[] line, string source, long lineNumber)
    {
        var json = line.AsMemory();
        long receiveTimeNs = 0;
        if (line.Length > 0 && char.IsAsciiDigit((char)line[0]))
        {
            var space = Array.IndexOf(line, (byte)' ');
            if (space < 0 || !Utf8Parser.TryParse(line.AsSpan(0, space), out receiveTimeNs, out var consumed) || consumed != space)
            {
                throw new RecordingFormatException(source, lineNumber, "expected a JSON object, optionally after '<receive time ns> '");
            }

            json = line.AsMemory(space + 1);
        }

        try
        {
            return Parse(json, source, lineNumber, receiveTimeNs);
        }
        catch (JsonException error)
        {
            throw new RecordingFormatException(source, lineNumber, $"not a JSON object: {error.Message}", error);
        }
    }

    private static CapturedMessage Parse(ReadOnlyMemory<byte> json, string source, long lineNumber, long receiveTimeNs)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new RecordingFormatException(source, lineNumber, "expected a JSON object");
        }

        if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
        {
            if (root.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.String)
            {
                var streamName = stream.GetString()!;
                var at = streamName.IndexOf('@', StringComparison.Ordinal);
                return StreamEvent(
                    data,
                    source,
                    lineNumber,
                    receiveTimeNs,
                    streamName,
                    fallbackSymbol: at > 0 ? streamName[..at].ToUpperInvariant() : null,
                    fallbackType: streamName[(at + 1)..]);
            }

            if (root.TryGetProperty("snapshot", out var symbol) && symbol.ValueKind == JsonValueKind.String)
            {
                return new CapturedMessage
                {
                    Source = source,
                    LineNumber = lineNumber,
                    ReceiveTimeNs = receiveTimeNs,
                    Kind = CapturedMessageKind.DepthSnapshot,
                    Symbol = symbol.GetString()!.ToUpperInvariant(),
                    EventType = "depthSnapshot",
                    Payload = Encoding.UTF8.GetBytes(data.GetRawText()),
                };
            }
        }

        if (root.TryGetProperty("e", out _))
        {
            return StreamEvent(root, source, lineNumber, receiveTimeNs, stream: null, fallbackSymbol: null, fallbackType: null);
        }

        if (root.TryGetProperty("lastUpdateId", out _))
        {
            throw new RecordingFormatException(source, lineNumber, """a REST depth snapshot does not name its symbol: write it as {"snapshot":"<SYMBOL>","data":{"lastUpdateId":...}}""");
        }

        // Spot's raw bookTicker is the one payload without "e"; it is recognised to be counted as skipped.
        if (root.TryGetProperty("u", out _) && root.TryGetProperty("b", out _) && root.TryGetProperty("a", out _) && root.TryGetProperty("B", out _))
        {
            return StreamEvent(root, source, lineNumber, receiveTimeNs, stream: null, fallbackSymbol: null, fallbackType: "bookTicker");
        }

        throw new RecordingFormatException(
            source,
            lineNumber,
            """neither a stream payload ("e"), a combined-stream message ("stream", "data") nor a snapshot wrapper ("snapshot", "data")""");
    }

    private static CapturedMessage StreamEvent(
        JsonElement payload, string source, long lineNumber, long receiveTimeNs, string? stream, string? fallbackSymbol, string? fallbackType)
    {
        var eventType = payload.TryGetProperty("e", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : fallbackType;
        var symbol = payload.TryGetProperty("s", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : fallbackSymbol;
        long? eventTimeMs = payload.TryGetProperty("E", out var time) && time.TryGetInt64(out var ms) ? ms : null;
        return new CapturedMessage
        {
            Source = source,
            LineNumber = lineNumber,
            ReceiveTimeNs = receiveTimeNs,
            Kind = CapturedMessageKind.StreamEvent,
            Stream = stream,
            Symbol = symbol,
            EventType = eventType ?? throw new RecordingFormatException(source, lineNumber, "the payload has no event type \"e\""),
            EventTimeMs = eventTimeMs,
            Payload = Encoding.UTF8.GetBytes(payload.GetRawText()),
        };
    }
}
