using System.Text.Json;
using static BinanceRecordings.JsonFields;

namespace BinanceRecordings;

/// <summary>
/// Turns the JSON of one captured message into a <see cref="CapturedMessage"/>: a combined-stream
/// message <c>{"stream":…,"data":{…}}</c> or a REST depth snapshot <c>{"lastUpdateId":…}</c>.
/// Only the routing keys are read (stream, e, s, E); the payload bytes are copied untouched.
/// </summary>
internal static class CaptureLineParser
{
    private const string SnapshotEventType = "depthSnapshot";

    public static CapturedMessage Parse(ReadOnlySpan<byte> json, string source, long lineNumber, long receiveTimeNs, string? snapshotSymbol)
    {
        try
        {
            return ParseCore(json, source, lineNumber, receiveTimeNs, snapshotSymbol);
        }
        catch (Exception error) when (error is JsonException or FormatException or InvalidOperationException)
        {
            throw new RecordingFormatException(source, lineNumber, $"not a Binance message: {error.Message}", error);
        }
    }

    private static CapturedMessage ParseCore(ReadOnlySpan<byte> json, string source, long lineNumber, long receiveTimeNs, string? snapshotSymbol)
    {
        var reader = new Utf8JsonReader(json);
        ReadStartObject(ref reader);
        string? stream = null, eventType = null, symbol = null;
        long? eventTime = null;
        var isSnapshot = false;
        Range data = default;
        while (NextProperty(ref reader, out var name))
        {
            if (name.SequenceEqual("stream"u8))
            {
                stream = reader.GetString();
            }
            else if (name.SequenceEqual("data"u8) && reader.TokenType == JsonTokenType.StartObject)
            {
                var start = (int)reader.TokenStartIndex;
                ReadRoutingKeys(ref reader, ref eventType, ref symbol, ref eventTime);
                data = start..(int)reader.BytesConsumed;
            }
            else
            {
                isSnapshot |= name.SequenceEqual("lastUpdateId"u8);
                reader.Skip();
            }
        }

        if (reader.Read())
        {
            throw new FormatException("trailing content after the JSON object");
        }

        if (stream is not null && !data.Equals(default(Range)))
        {
            return new CapturedMessage
            {
                Source = source,
                LineNumber = lineNumber,
                ReceiveTimeNs = receiveTimeNs,
                Kind = CapturedMessageKind.StreamEvent,
                Stream = stream,
                Symbol = symbol ?? SymbolOfStream(stream),
                EventType = eventType ?? StreamSuffix(stream),
                EventTimeMs = eventTime,
                Payload = json[data].ToArray(),
            };
        }

        return isSnapshot
            ? new CapturedMessage
            {
                Source = source,
                LineNumber = lineNumber,
                ReceiveTimeNs = receiveTimeNs,
                Kind = CapturedMessageKind.DepthSnapshot,
                Symbol = snapshotSymbol,
                EventType = SnapshotEventType,
                Payload = json.ToArray(),
            }
            : throw new FormatException("neither a combined-stream message (stream, data) nor a depth snapshot (lastUpdateId)");
    }

    private static void ReadRoutingKeys(ref Utf8JsonReader reader, ref string? eventType, ref string? symbol, ref long? eventTime)
    {
        while (NextProperty(ref reader, out var name))
        {
            switch (Letter(name))
            {
                case (byte)'e': eventType = reader.GetString(); break;
                case (byte)'s': symbol = reader.GetString(); break;
                case (byte)'E': eventTime = reader.GetInt64(); break;
                default: reader.Skip(); break;
            }
        }
    }

    private static string SymbolOfStream(string stream) => stream[..Math.Max(0, stream.IndexOf('@', StringComparison.Ordinal))].ToUpperInvariant();

    private static string StreamSuffix(string stream) => stream[(stream.IndexOf('@', StringComparison.Ordinal) + 1)..];
}
