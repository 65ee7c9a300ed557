using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using TakerVolume.Parsing;

namespace TakerVolume.Benchmarks.Micro;

/// <summary>
/// The processor's first step per trade: <see cref="AggTradeParser"/> over the real payloads of the captures (per
/// payload). Baseline: <see cref="Utf8JsonReader"/> reading every token of the same bytes and doing nothing with them,
/// the floor of any JSON parser. For scale, what a typical consumer writes: <see cref="JsonSerializer"/> into a class
/// with string fields, then <c>decimal.Parse</c> of price and quantity.
/// </summary>
[MemoryDiagnoser]
public class ParserBenchmarks
{
    /// <summary>The aggTrade payloads of the two Spot captures (OperationsPerInvoke needs a constant; the setup checks it).</summary>
    private const int Payloads = 52;

    private (string Symbol, byte[] Payload)[] _payloads = [];

    [GlobalSetup]
    public void Setup()
    {
        _payloads = [.. RecordedPayloads.SpotAggTrades()];
        if (_payloads.Length != Payloads)
        {
            throw new InvalidOperationException($"The captures hold {_payloads.Length} aggTrade payloads, not {Payloads}.");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Payloads)]
    public int ReaderSkipsEveryToken()
    {
        var tokens = 0;
        foreach (var (_, payload) in _payloads)
        {
            var reader = new Utf8JsonReader(payload);
            while (reader.Read())
            {
                tokens++;
            }
        }

        return tokens;
    }

    [Benchmark(OperationsPerInvoke = Payloads)]
    public long AggTradeParserTryParse()
    {
        long sum = 0;
        foreach (var (symbol, payload) in _payloads)
        {
            if (AggTradeParser.TryParse(payload, symbol, out var trade, out _) == PayloadError.None)
            {
                sum += trade.AggregateId;
            }
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Payloads)]
    public decimal JsonSerializerThenDecimalParse()
    {
        var sum = 0m;
        foreach (var (_, payload) in _payloads)
        {
            var trade = JsonSerializer.Deserialize<AggTradeJson>(payload)!;
            sum += decimal.Parse(trade.Price, CultureInfo.InvariantCulture) * decimal.Parse(trade.Quantity, CultureInfo.InvariantCulture);
        }

        return sum;
    }
}

/// <summary>An aggTrade event as a typical consumer declares it (prices as text, to keep them exact).</summary>
public sealed class AggTradeJson
{
    [JsonPropertyName("e")]
    public string? EventType { get; set; }

    [JsonPropertyName("E")]
    public long EventTime { get; set; }

    [JsonPropertyName("s")]
    public string? Symbol { get; set; }

    [JsonPropertyName("a")]
    public long AggregateId { get; set; }

    [JsonPropertyName("p")]
    public string Price { get; set; } = "0";

    [JsonPropertyName("q")]
    public string Quantity { get; set; } = "0";

    [JsonPropertyName("f")]
    public long FirstTradeId { get; set; }

    [JsonPropertyName("l")]
    public long LastTradeId { get; set; }

    [JsonPropertyName("T")]
    public long TradeTime { get; set; }

    [JsonPropertyName("m")]
    public bool BuyerIsMaker { get; set; }

    [JsonPropertyName("M")]
    public bool BestMatch { get; set; }
}
