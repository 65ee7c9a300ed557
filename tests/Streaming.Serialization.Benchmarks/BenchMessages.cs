using Google.Protobuf;
using Streaming.Serialization.Benchmarks.Messages;

namespace Streaming.Serialization.Benchmarks;

internal static class BenchMessages
{
    public static RawEnvelope Envelope() => new()
    {
        Source = "binance-spot-a",
        Stream = "btcusdt@aggTrade",
        Symbol = "BTCUSDT",
        ReceivedAtMs = 1_767_225_600_123,
        EventTimeMs = 1_767_225_600_100,
        Payload = ByteString.CopyFromUtf8(
            """{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1767225600100,"s":"BTCUSDT","a":3141592653,"p":"98765.43210000","q":"0.01234000","nq":"1218.77","f":5000000001,"l":5000000007,"T":1767225600099,"m":false,"M":true,"x":"spot","r":"a","v":1,"seq":123456789}}"""),
    };

    public static WindowResult Window() => new()
    {
        Symbol = "BTCUSDT",
        WindowStartMs = 1_767_225_600_000,
        WindowEndMs = 1_767_226_500_000,
        TakerBuyBase = "123.45678900",
        TakerBuyQuote = "12193456.78901234",
        TakerSellBase = "98.76543210",
        TakerSellQuote = "9754321.09876543",
        TotalBase = "222.22222110",
        TotalQuote = "21947777.87777777",
        Open = "98700.01000000",
        High = "98999.99000000",
        Low = "98500.00000000",
        Close = "98765.43210000",
        Vwap = "98762.11223344",
        BuyRatio = "0.55555555",
        NetFlowQuote = "2439135.69024691",
        MaxTradeQuote = "493827.16050000",
        KlineQuote = "21947777.87777777",
        TradeCount = 48_213,
    };
}
