using System.Text.Json;
using static BinanceRecordings.JsonFields;

namespace BinanceRecordings;

/// <summary>
/// Typed views of Binance JSON payloads, read field by field with <see cref="Utf8JsonReader"/>
/// (no DOM). Unknown fields are skipped; missing required fields or non-decimal numbers throw
/// <see cref="FormatException"/>, malformed JSON <see cref="JsonException"/>.
/// </summary>
internal static class PayloadParser
{
    public static AggTradeRecord ParseAggTrade(ReadOnlyMemory<byte> json)
    {
        var reader = new Utf8JsonReader(json.Span);
        ReadStartObject(ref reader);
        long? a = null, f = null, l = null, t = null, e = null;
        ExactNumber? p = null, q = null;
        bool? m = null;
        while (NextProperty(ref reader, out var name))
        {
            switch (Letter(name))
            {
                case (byte)'a': a = reader.GetInt64(); break;
                case (byte)'p': p = Number(ref reader, 'p'); break;
                case (byte)'q': q = Number(ref reader, 'q'); break;
                case (byte)'f': f = reader.GetInt64(); break;
                case (byte)'l': l = reader.GetInt64(); break;
                case (byte)'T': t = reader.GetInt64(); break;
                case (byte)'m': m = reader.GetBoolean(); break;
                case (byte)'E': e = reader.GetInt64(); break;
                default: reader.Skip(); break;
            }
        }

        return new AggTradeRecord
        {
            AggregateTradeId = Required(a, 'a'),
            Price = Required(p, 'p'),
            Quantity = Required(q, 'q'),
            FirstTradeId = Required(f, 'f'),
            LastTradeId = Required(l, 'l'),
            TradeTimeUs = checked(Required(t, 'T') * 1000),
            IsBuyerMaker = Required(m, 'm'),
            EventTimeMs = e,
        };
    }

    public static TradeRecord ParseTrade(ReadOnlyMemory<byte> json)
    {
        var reader = new Utf8JsonReader(json.Span);
        ReadStartObject(ref reader);
        long? id = null, tradeTime = null, e = null;
        ExactNumber? p = null, q = null;
        bool? m = null;
        while (NextProperty(ref reader, out var name))
        {
            switch (Letter(name))
            {
                case (byte)'t': id = reader.GetInt64(); break;
                case (byte)'p': p = Number(ref reader, 'p'); break;
                case (byte)'q': q = Number(ref reader, 'q'); break;
                case (byte)'T': tradeTime = reader.GetInt64(); break;
                case (byte)'m': m = reader.GetBoolean(); break;
                case (byte)'E': e = reader.GetInt64(); break;
                default: reader.Skip(); break;
            }
        }

        return new TradeRecord
        {
            TradeId = Required(id, 't'),
            Price = Required(p, 'p'),
            Quantity = Required(q, 'q'),
            TradeTimeMs = Required(tradeTime, 'T'),
            IsBuyerMaker = Required(m, 'm'),
            EventTimeMs = e,
        };
    }

    public static DepthUpdateRecord ParseDepthUpdate(ReadOnlyMemory<byte> json)
    {
        var reader = new Utf8JsonReader(json.Span);
        ReadStartObject(ref reader);
        long? first = null, final = null, e = null, previous = null, transaction = null;
        IReadOnlyList<PriceLevel>? bids = null, asks = null;
        while (NextProperty(ref reader, out var name))
        {
            if (name.SequenceEqual("pu"u8))
            {
                previous = reader.GetInt64();
                continue;
            }

            switch (Letter(name))
            {
                case (byte)'U': first = reader.GetInt64(); break;
                case (byte)'u': final = reader.GetInt64(); break;
                case (byte)'E': e = reader.GetInt64(); break;
                case (byte)'T': transaction = reader.GetInt64(); break;
                case (byte)'b': bids = Levels(ref reader, "b"); break;
                case (byte)'a': asks = Levels(ref reader, "a"); break;
                default: reader.Skip(); break;
            }
        }

        return new DepthUpdateRecord
        {
            FirstUpdateId = Required(first, 'U'),
            FinalUpdateId = Required(final, 'u'),
            PreviousFinalUpdateId = previous,
            EventTimeMs = Required(e, 'E'),
            TransactionTimeMs = transaction,
            Bids = Required(bids, "b"),
            Asks = Required(asks, "a"),
        };
    }

    public static DepthSnapshot ParseDepthSnapshot(ReadOnlyMemory<byte> json)
    {
        var reader = new Utf8JsonReader(json.Span);
        ReadStartObject(ref reader);
        long? lastUpdateId = null, e = null, transaction = null;
        IReadOnlyList<PriceLevel>? bids = null, asks = null;
        while (NextProperty(ref reader, out var name))
        {
            if (name.SequenceEqual("lastUpdateId"u8))
            {
                lastUpdateId = reader.GetInt64();
            }
            else if (name.SequenceEqual("bids"u8))
            {
                bids = Levels(ref reader, "bids");
            }
            else if (name.SequenceEqual("asks"u8))
            {
                asks = Levels(ref reader, "asks");
            }
            else if (Letter(name) == (byte)'E')
            {
                e = reader.GetInt64();
            }
            else if (Letter(name) == (byte)'T')
            {
                transaction = reader.GetInt64();
            }
            else
            {
                reader.Skip();
            }
        }

        return new DepthSnapshot
        {
            LastUpdateId = lastUpdateId ?? throw new FormatException("field lastUpdateId is missing"),
            EventTimeMs = e,
            TransactionTimeMs = transaction,
            Bids = Required(bids, "bids"),
            Asks = Required(asks, "asks"),
        };
    }

    public static KlineRecord ParseKline(ReadOnlyMemory<byte> json)
    {
        var reader = new Utf8JsonReader(json.Span);
        ReadStartObject(ref reader);
        long? e = null;
        KlineRecord? kline = null;
        while (NextProperty(ref reader, out var name))
        {
            switch (Letter(name))
            {
                case (byte)'E': e = reader.GetInt64(); break;
                case (byte)'k': kline = KlineBodyParser.Parse(ref reader); break;
                default: reader.Skip(); break;
            }
        }

        return Required(kline, "k") with { EventTimeMs = e };
    }
}
