using System.Globalization;
using System.Text;
using BinanceRecordings;
using Google.Protobuf;
using Streaming.Contracts.Common.V1;
using Streaming.Contracts.Raw.V1;

namespace TakerVolume.Tests.EndToEnd;

/// <summary>Raw events exactly as an ingest pod publishes them: the exchange's JSON in a <see cref="RawEvent"/>.</summary>
internal static class RawEvents
{
    /// <summary>A Spot aggTrade event in microseconds (<c>timeUnit=MICROSECOND</c>), from a recorded trade's exact text.</summary>
    public static RawEvent AggTrade(string symbol, AggTradeRecord trade, Source source = Source.Websocket) =>
        Wrap(symbol, $"{symbol.ToLowerInvariant()}@aggTrade", source, string.Create(CultureInfo.InvariantCulture,
            $$"""{"e":"aggTrade","E":{{trade.TradeTimeUs + 1500}},"s":"{{symbol}}","a":{{trade.AggregateTradeId}},"p":"{{trade.Price.Text}}","q":"{{trade.Quantity.Text}}","f":{{trade.FirstTradeId}},"l":{{trade.LastTradeId}},"T":{{trade.TradeTimeUs}},"m":{{(trade.IsBuyerMaker ? "true" : "false")}},"M":true}"""));

    /// <summary>A closed (or open) kline_15m event with the given figures.</summary>
    public static RawEvent Kline(string symbol, long openTimeMs, long eventTimeMs, bool closed, KlineTotalsText totals) =>
        Wrap(symbol, $"{symbol.ToLowerInvariant()}@kline_15m", Source.Websocket, string.Create(CultureInfo.InvariantCulture,
            $$$"""{"e":"kline","E":{{{eventTimeMs}}},"s":"{{{symbol}}}","k":{"t":{{{openTimeMs}}},"T":{{{openTimeMs + 899_999}}},"s":"{{{symbol}}}","i":"15m","f":{{{totals.FirstTradeId}}},"L":{{{totals.LastTradeId}}},"o":"{{{totals.Open}}}","c":"{{{totals.Close}}}","h":"{{{totals.High}}}","l":"{{{totals.Low}}}","v":"{{{totals.BaseVolume}}}","n":{{{totals.TradeCount}}},"x":{{{(closed ? "true" : "false")}}},"q":"{{{totals.QuoteVolume}}}","V":"{{{totals.TakerBuyBaseVolume}}}","Q":"{{{totals.TakerBuyQuoteVolume}}}","B":"0"}}"""));

    public static RawEvent Payload(string symbol, string stream, string json) => Wrap(symbol, stream, Source.Websocket, json);

    private static RawEvent Wrap(string symbol, string stream, Source source, string json) => new()
    {
        Exchange = "binance",
        Market = Market.Spot,
        Stream = stream,
        Symbol = symbol,
        Region = "a",
        IngestInstanceId = "test",
        ConnectionId = "test-1",
        Source = source,
        Payload = ByteString.CopyFrom(Encoding.UTF8.GetBytes(json)),
    };
}

/// <summary>A kline's figures as the exchange prints them.</summary>
internal sealed record KlineTotalsText(
    string QuoteVolume, string TakerBuyQuoteVolume, string BaseVolume, string TakerBuyBaseVolume, long TradeCount, long FirstTradeId, long LastTradeId,
    string Open = "1", string High = "1", string Low = "1", string Close = "1");
