using System.Globalization;
using System.Text;
using Google.Protobuf;
using Streaming.Contracts.Common.V1;
using Streaming.Contracts.Raw.V1;

namespace TakerVolume.Benchmarks.Input;

/// <summary>
/// Raw events as the ingest pods publish them: the exchange's aggTrade JSON (Spot WebSocket form: times in
/// milliseconds, prices and quantities printed with 8 decimals) in a <see cref="RawEvent"/> envelope. A copy, as
/// a redundant pod in the other region publishes it, carries the same payload bytes in that pod's envelope.
/// </summary>
internal sealed class RawEventFactory(SymbolUniverse universe)
{
    private readonly string[] _streams = [.. universe.Symbols.Select(s => s.Name.ToLowerInvariant() + "@aggTrade")];
    private long _sequenceA;
    private long _sequenceB;

    /// <summary>The event of <paramref name="trade"/> from the primary pod (region a), received at <paramref name="receivedAtUs"/>.</summary>
    public RawEvent Create(in GeneratedTrade trade, long eventTimeMs, long receivedAtUs) => new()
    {
        Exchange = "binance",
        Market = Market.Spot,
        Stream = _streams[trade.Symbol],
        Symbol = universe.Symbols[trade.Symbol].Name,
        Region = "a",
        IngestInstanceId = "ingest-a-0",
        ConnectionId = "a-1",
        ReceivedAtUs = receivedAtUs,
        ConnectionSequence = ++_sequenceA,
        Source = Source.Websocket,
        Payload = ByteString.CopyFrom(Payload(trade, eventTimeMs)),
    };

    /// <summary>The same event as the redundant pod (region b) publishes it, <paramref name="laterUs"/> after the original.</summary>
    public RawEvent CopyOf(RawEvent original, long laterUs) => new(original)
    {
        Region = "b",
        IngestInstanceId = "ingest-b-0",
        ConnectionId = "b-1",
        ReceivedAtUs = original.ReceivedAtUs + laterUs,
        ConnectionSequence = ++_sequenceB,
    };

    /// <summary>The Binance Spot aggTrade event's JSON, fields in the exchange's order.</summary>
    public byte[] Payload(in GeneratedTrade trade, long eventTimeMs)
    {
        var symbol = universe.Symbols[trade.Symbol].Name;
        var json = string.Create(CultureInfo.InvariantCulture,
            $$"""{"e":"aggTrade","E":{{eventTimeMs}},"s":"{{symbol}}","a":{{trade.AggregateId}},"p":"{{trade.Price:F8}}","q":"{{trade.Quantity:F8}}","f":{{trade.FirstTradeId}},"l":{{trade.LastTradeId}},"T":{{trade.TimeUs / 1000}},"m":{{(trade.BuyerIsMaker ? "true" : "false")}},"M":true}""");
        return Encoding.UTF8.GetBytes(json);
    }
}
