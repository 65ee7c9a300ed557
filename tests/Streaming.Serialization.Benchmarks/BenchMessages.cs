using Google.Protobuf;
using Streaming.Contracts.Analytics.V1;
using Streaming.Contracts.Common.V1;
using Streaming.Contracts.Raw.V1;

namespace Streaming.Serialization.Benchmarks;

/// <summary>The two messages the issue names: the raw envelope ingest publishes and the tumbling window result.</summary>
internal static class BenchMessages
{
    /// <summary>A real combined-stream aggTrade frame, from tests/data/recordings/cryptofeed/4fe0297/BINANCE.ws.1.0.</summary>
    private const string RecordedFrame =
        """{"stream":"ftmusdt@aggTrade","data":{"e":"aggTrade","E":1628952396573,"s":"FTMUSDT","a":31718372,"p":"0.33993000","q":"99.90000000","f":38248910,"l":38248910,"T":1628952396572,"m":true,"M":true}}""";

    public static RawEvent Envelope() => new()
    {
        Exchange = "binance",
        Market = Market.Spot,
        Stream = "ftmusdt@aggTrade",
        Symbol = "FTMUSDT",
        Region = "a",
        IngestInstanceId = "ingest-spot-a-3",
        ConnectionId = "c-000042",
        ReceivedAtUs = 1_628_952_396_574_112,
        ConnectionSequence = 1_234_567,
        Source = Source.Websocket,
        Payload = ByteString.CopyFromUtf8(RecordedFrame),
    };

    public static TakerVolumeWindow Window() => new()
    {
        Symbol = "BTCUSDT",
        Market = Market.Spot,
        WindowStartMs = 1_767_225_600_000,
        WindowEndMs = 1_767_226_500_000,
        Totals = new TakerVolumeTotals
        {
            TakerBuyQuoteVolume = "12193456.7890123400000000",
            TakerSellQuoteVolume = "9754321.0987654300000000",
            TakerBuyBaseVolume = "123.45678900",
            TakerSellBaseVolume = "98.76543210",
            AggregateTradeCount = 48_213,
            TradeCount = 131_077,
        },
        FirstAggregateTradeId = 3_800_397_495,
        LastAggregateTradeId = 3_800_445_707,
        FirstTradeId = 5_400_001_000,
        LastTradeId = 5_400_132_076,
        Open = "98700.01000000",
        High = "98999.99000000",
        Low = "98500.00000000",
        Close = "98765.43210000",
        Vwap = "98762.112233445566",
        Revision = 37,
        Final = true,
        ComputedAtUs = 1_767_226_500_250_000,
    };
}
