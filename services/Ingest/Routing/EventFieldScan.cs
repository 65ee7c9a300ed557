using System.Text.Json;

namespace Ingest.Routing;

/// <summary>
/// The fields of one event object collected while the reader passes over it. Mutable and internal because
/// it is filled key by key, in whatever order Binance sends them (Spot and USD-M differ), and only then
/// turned into an immutable <see cref="FrameRoute"/>.
/// </summary>
internal struct EventFieldScan
{
    public FrameKind Kind;
    public Range EventType;
    public Range Symbol;
    public long EventTime;
    public long AggregateId;
    public long TradeTime;
    public long FirstUpdateId;
    public long FinalUpdateId;
    public long PreviousFinalUpdateId;
    public long KlineOpenTime;
    public bool KlineClosedSeen;
    public bool KlineClosed;

    public EventFieldScan()
    {
        EventTime = FrameRoute.Absent;
        AggregateId = FrameRoute.Absent;
        TradeTime = FrameRoute.Absent;
        FirstUpdateId = FrameRoute.Absent;
        FinalUpdateId = FrameRoute.Absent;
        PreviousFinalUpdateId = FrameRoute.Absent;
        KlineOpenTime = FrameRoute.Absent;
    }

    public readonly bool HasEventType => !EventType.Equals(default);

    /// <summary>
    /// Whether the fields the kind's consumers depend on are present; an event without them cannot be
    /// sequenced, so routing reports the frame as malformed instead of handing out sentinels.
    /// </summary>
    public readonly bool IsComplete => Kind switch
    {
        FrameKind.AggTrade => !Symbol.Equals(default) && AggregateId != FrameRoute.Absent && TradeTime != FrameRoute.Absent,
        FrameKind.DepthUpdate => !Symbol.Equals(default) && FirstUpdateId != FrameRoute.Absent && FinalUpdateId != FrameRoute.Absent,
        FrameKind.Kline => !Symbol.Equals(default) && KlineOpenTime != FrameRoute.Absent && KlineClosedSeen,
        _ => true,
    };

    /// <summary>Reads the fields of the object the reader is on (a <c>StartObject</c>), leaving it on the matching <c>EndObject</c>.</summary>
    public void ScanObject(ref Utf8JsonReader reader, scoped Span<byte> nameBuffer)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueIsEscaped ? nameBuffer[..JsonNames.Unescape(ref reader, nameBuffer)] : reader.ValueSpan;
            reader.Read();
            Accept(name, ref reader, nameBuffer);
        }
    }

    /// <summary>Takes one property whose value token the reader is on; skips values it does not need.</summary>
    public void Accept(scoped ReadOnlySpan<byte> name, ref Utf8JsonReader reader, scoped Span<byte> nameBuffer)
    {
        var token = reader.TokenType;
        if (name.Length == 1)
        {
            switch (name[0])
            {
                case (byte)'e' when token == JsonTokenType.String:
                    EventType = JsonNames.ContentRange(ref reader);
                    Kind = Classify(ref reader);
                    return;
                case (byte)'s' when token == JsonTokenType.String:
                    Symbol = JsonNames.ContentRange(ref reader);
                    return;
                case (byte)'E':
                    EventTime = NumberOrAbsent(ref reader);
                    return;
                case (byte)'a' when token == JsonTokenType.Number:
                    AggregateId = NumberOrAbsent(ref reader);
                    return;
                case (byte)'T':
                    TradeTime = NumberOrAbsent(ref reader);
                    return;
                case (byte)'U':
                    FirstUpdateId = NumberOrAbsent(ref reader);
                    return;
                case (byte)'u':
                    FinalUpdateId = NumberOrAbsent(ref reader);
                    return;
                case (byte)'k' when token == JsonTokenType.StartObject:
                    ScanKline(ref reader, nameBuffer);
                    return;
                default:
                    break;
            }
        }
        else if (name.Length == 2 && name[0] == (byte)'p' && name[1] == (byte)'u')
        {
            PreviousFinalUpdateId = NumberOrAbsent(ref reader);
            return;
        }

        reader.Skip();
    }

    private void ScanKline(ref Utf8JsonReader reader, scoped Span<byte> nameBuffer)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueIsEscaped ? nameBuffer[..JsonNames.Unescape(ref reader, nameBuffer)] : reader.ValueSpan;
            reader.Read();
            if (name.Length == 1 && name[0] == (byte)'t')
            {
                KlineOpenTime = NumberOrAbsent(ref reader);
            }
            else if (name.Length == 1 && name[0] == (byte)'x' && reader.TokenType is JsonTokenType.True or JsonTokenType.False)
            {
                KlineClosedSeen = true;
                KlineClosed = reader.TokenType == JsonTokenType.True;
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static FrameKind Classify(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("aggTrade"u8))
        {
            return FrameKind.AggTrade;
        }

        if (reader.ValueTextEquals("depthUpdate"u8))
        {
            return FrameKind.DepthUpdate;
        }

        if (reader.ValueTextEquals("kline"u8))
        {
            return FrameKind.Kline;
        }

        return reader.ValueTextEquals("serverShutdown"u8) ? FrameKind.ServerShutdown : FrameKind.Other;
    }

    private static long NumberOrAbsent(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value))
        {
            return value;
        }

        reader.Skip();
        return FrameRoute.Absent;
    }
}
