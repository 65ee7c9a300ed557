using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Streaming.Serialization.Tests.Messages;

namespace Streaming.Serialization.Tests;

/// <summary>Messages of every index depth, filled so that each field takes part in the payload.</summary>
internal static class Samples
{
    public static Heartbeat Heartbeat(long sequence = 42) => new() { Sequence = sequence };

    public static Trade Trade(int seed = 1)
    {
        var trade = new Trade
        {
            Symbol = "BTCUSDT",
            TradeId = 3_000_000_000L + seed,
            BuyerIsMaker = seed % 2 == 0,
            Notional = new Money { Amount = "61234.5000000" + seed, Currency = "USDT" },
            TradedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddMilliseconds(seed)),
        };
        trade.Fills.Add(new Trade.Types.Fill { Price = "61234.5", Quantity = "0.001", Venue = new Trade.Types.Fill.Types.Venue { Name = "a", Region = 1 } });
        trade.Fills.Add(new Trade.Types.Fill { Price = "61234.6", Quantity = "0.002" });
        trade.Tags["side"] = "buy";
        return trade;
    }

    public static Trade.Types.Fill.Types.Venue Venue() => new() { Name = "region-b", Region = 2 };

    public static Envelope Envelope() => new()
    {
        Source = "binance",
        Stream = "btcusdt@aggTrade",
        ReceivedAtMs = 1_767_225_600_000,
        Payload = ByteString.CopyFromUtf8("""{"e":"aggTrade","E":1767225600000,"s":"BTCUSDT","a":1,"p":"61234.5","q":"0.001","f":1,"l":1,"T":1767225600000,"m":true}"""),
    };
}
