using System.Text.Json;

namespace Ingest.Routing;

/// <summary>
/// Classifies one Binance WebSocket text frame in a single forward pass of <see cref="Utf8JsonReader"/>:
/// no DOM, no strings, nothing allocated. The receive loop calls it for every frame, and its answer decides
/// the Kafka key (symbol), the bytes to publish (<see cref="FrameRoute.Data"/>) and which sequencer checks
/// the ids. Malformed or truncated frames return false instead of throwing into the receive loop.
/// </summary>
public static class FrameRouter
{
    private static ReadOnlySpan<byte> ServerShutdownStream => "!serverShutdown"u8;

    /// <summary>Routes one frame; false when it is not well-formed JSON or an event lacks the ids it is sequenced by.</summary>
    public static bool TryRoute(ReadOnlySpan<byte> frame, out FrameRoute route)
    {
        try
        {
            return TryRouteCore(frame, out route);
        }
        catch (JsonException)
        {
            // The reader's only signal for invalid or truncated input. Rare by construction (Binance sends
            // valid JSON), so the cost of the exception is not on the normal path.
            route = default;
            return false;
        }
    }

    private static bool TryRouteCore(ReadOnlySpan<byte> frame, out FrameRoute route)
    {
        route = default;
        var reader = new Utf8JsonReader(frame);
        if (!reader.Read())
        {
            return false;
        }

        var rootStart = checked((int)reader.TokenStartIndex);
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            // A raw array payload (e.g. /ws/!miniTicker@arr): nothing to sequence, publish as is.
            reader.Skip();
            var arrayEnd = checked((int)reader.BytesConsumed);
            if (reader.Read())
            {
                return false;
            }

            route = Control(FrameKind.Other, new Range(rootStart, arrayEnd), new EnvelopeScan());
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        Span<byte> nameBuffer = stackalloc byte[JsonNames.MaxNameBytes];
        var envelope = new EnvelopeScan();
        var top = new EventFieldScan();
        var inner = new EventFieldScan();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueIsEscaped ? nameBuffer[..JsonNames.Unescape(ref reader, nameBuffer)] : reader.ValueSpan;
            reader.Read();
            if (!envelope.Accept(name, ref reader, ref inner, nameBuffer))
            {
                top.Accept(name, ref reader, nameBuffer);
            }
        }

        var rootEnd = checked((int)reader.BytesConsumed);
        if (reader.Read())
        {
            return false;
        }

        var isShutdownStream = envelope.HasStream && frame[envelope.Stream].SequenceEqual(ServerShutdownStream);
        if (envelope.HasData)
        {
            if (isShutdownStream && inner.Kind == FrameKind.Other)
            {
                inner.Kind = FrameKind.ServerShutdown;
            }

            return Build(in inner, envelope.Data, in envelope, out route);
        }

        var whole = new Range(rootStart, rootEnd);
        if (envelope.HasError || (envelope.HasCode && envelope.HasMessage && !top.HasEventType))
        {
            route = Control(FrameKind.Error, whole, in envelope);
            return true;
        }

        if (envelope.HasResult && !top.HasEventType)
        {
            route = Control(FrameKind.Reply, whole, in envelope);
            return true;
        }

        return Build(in top, whole, in envelope, out route);
    }

    private static bool Build(in EventFieldScan fields, Range data, in EnvelopeScan envelope, out FrameRoute route)
    {
        if (!fields.IsComplete)
        {
            route = default;
            return false;
        }

        route = new FrameRoute
        {
            Kind = fields.Kind,
            Data = data,
            IsCombined = envelope.HasStream,
            Stream = envelope.Stream,
            EventType = fields.EventType,
            Symbol = fields.Symbol,
            EventTime = fields.EventTime,
            AggregateId = fields.AggregateId,
            TradeTime = fields.TradeTime,
            FirstUpdateId = fields.FirstUpdateId,
            FinalUpdateId = fields.FinalUpdateId,
            PreviousFinalUpdateId = fields.PreviousFinalUpdateId == FrameRoute.Absent ? null : fields.PreviousFinalUpdateId,
            KlineOpenTime = fields.KlineOpenTime,
            KlineClosed = fields.KlineClosed,
            RequestId = envelope.RequestId,
        };
        return true;
    }

    private static FrameRoute Control(FrameKind kind, Range whole, in EnvelopeScan envelope) => new()
    {
        Kind = kind,
        Data = whole,
        EventTime = FrameRoute.Absent,
        AggregateId = FrameRoute.Absent,
        TradeTime = FrameRoute.Absent,
        FirstUpdateId = FrameRoute.Absent,
        FinalUpdateId = FrameRoute.Absent,
        KlineOpenTime = FrameRoute.Absent,
        RequestId = envelope.RequestId,
    };
}
