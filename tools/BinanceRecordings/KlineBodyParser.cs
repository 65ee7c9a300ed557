using System.Text.Json;
using static BinanceRecordings.JsonFields;

namespace BinanceRecordings;

/// <summary>Reads the <c>k</c> object of a kline event.</summary>
internal static class KlineBodyParser
{
    public static KlineRecord Parse(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException("field k is not an object");
        }

        long? openTime = null, closeTime = null, first = null, last = null, count = null;
        ExactNumber? open = null, high = null, low = null, close = null, volume = null, quoteVolume = null, takerVolume = null, takerQuoteVolume = null;
        string? interval = null;
        bool? closed = null;
        while (NextProperty(ref reader, out var name))
        {
            switch (Letter(name))
            {
                case (byte)'t': openTime = reader.GetInt64(); break;
                case (byte)'T': closeTime = reader.GetInt64(); break;
                case (byte)'i': interval = reader.GetString(); break;
                case (byte)'f': first = reader.GetInt64(); break;
                case (byte)'L': last = reader.GetInt64(); break;
                case (byte)'o': open = Number(ref reader, 'o'); break;
                case (byte)'h': high = Number(ref reader, 'h'); break;
                case (byte)'l': low = Number(ref reader, 'l'); break;
                case (byte)'c': close = Number(ref reader, 'c'); break;
                case (byte)'v': volume = Number(ref reader, 'v'); break;
                case (byte)'q': quoteVolume = Number(ref reader, 'q'); break;
                case (byte)'n': count = reader.GetInt64(); break;
                case (byte)'V': takerVolume = Number(ref reader, 'V'); break;
                case (byte)'Q': takerQuoteVolume = Number(ref reader, 'Q'); break;
                case (byte)'x': closed = reader.GetBoolean(); break;
                default: reader.Skip(); break;
            }
        }

        return new KlineRecord
        {
            OpenTimeUs = checked(Required(openTime, 't') * 1000),
            CloseTimeUs = checked(Required(closeTime, 'T') * 1000),
            Interval = Required(interval, "i"),
            FirstTradeId = Required(first, 'f'),
            LastTradeId = Required(last, 'L'),
            Open = Required(open, 'o'),
            High = Required(high, 'h'),
            Low = Required(low, 'l'),
            Close = Required(close, 'c'),
            Volume = Required(volume, 'v'),
            QuoteVolume = Required(quoteVolume, 'q'),
            TradeCount = Required(count, 'n'),
            TakerBuyVolume = Required(takerVolume, 'V'),
            TakerBuyQuoteVolume = Required(takerQuoteVolume, 'Q'),
            IsClosed = Required(closed, 'x'),
        };
    }
}
