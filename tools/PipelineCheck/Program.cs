using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Confluent.Kafka;
using Streaming.Contracts;
using Streaming.Contracts.Common.V1;
using Streaming.Contracts.Ops.V1;
using Streaming.Contracts.Raw.V1;
using Streaming.Kafka;
using Streaming.Serialization;

// Usage: PipelineCheck <bootstrap-servers> <simulator-control-url> [market=spot] [large-trade-quote large-trades-file]
// Reads the raw aggregate-trade topic and the feed gaps from the beginning and compares them with the
// simulator's ground truth (pause its clock first): per symbol, every id from the first one the pod saw to the
// exchange's last must be present, except ids the exchange's own history lacks, which must be reported as gaps.
// Every injected hole must have taken effect (the exchange reached it; no id of a hole withheld from the streams
// reached the topic), or the run did not exercise it.
// With a large-trade threshold, it also writes to the file how many distinct trades present have a quote notional
// (p×q, exact) at or above it: the number of large-trade alerts the processor must have raised.
if (args.Length is < 2 or 4 or > 5)
{
    await Console.Error.WriteLineAsync("usage: PipelineCheck <bootstrap-servers> <simulator-control-url> [spot|futures] [large-trade-quote large-trades-file]");
    return 64;
}

var servers = args[0];
var control = new Uri(args[1].TrimEnd('/') + "/");
var market = args.Length > 2 ? args[2] : "spot";
decimal? largeTradeQuote = args.Length == 5 ? decimal.Parse(args[3], NumberStyles.Number, CultureInfo.InvariantCulture) : null;
var largeTrades = new HashSet<(string Symbol, long Id)>();
var topic = market == "futures" ? "binance.usdm.aggtrade.raw.v1" : "binance.spot.aggtrade.raw.v1";
using var http = new HttpClient { BaseAddress = control };
var truth = await http.GetFromJsonAsync<List<SymbolTruth>>($"markets/{market}/truth/symbols", Json.Options) ?? [];
var holes = await http.GetFromJsonAsync<List<Hole>>($"markets/{market}/holes", Json.Options) ?? [];

var options = new KafkaOptions { BootstrapServers = servers };
var group = "pipeline-check-" + Guid.NewGuid().ToString("N");
var config = KafkaClientConfigs.Consumer(options, group, group);
config.AutoOffsetReset = AutoOffsetReset.Earliest;
config.FetchWaitMaxMs = 50;
var seen = new Dictionary<string, HashSet<long>>(StringComparer.Ordinal);
long records = 0, fromRest = 0;
using (var consumer = new ConsumerBuilder<string, RawEvent>(config).SetValueDeserializer(new ProtobufDeserializer<RawEvent>()).Build())
{
    consumer.Subscribe(topic);
    var idle = Stopwatch.StartNew();
    while (idle.Elapsed < TimeSpan.FromSeconds(3))
    {
        var record = consumer.Consume(TimeSpan.FromMilliseconds(100));
        if (record is null)
        {
            continue;
        }

        idle.Restart();
        records++;
        fromRest += record.Message.Value.Source == Source.RestBackfill ? 1 : 0;
        using var payload = JsonDocument.Parse(record.Message.Value.Payload.Memory);
        var symbol = record.Message.Value.Symbol;
        if (!seen.TryGetValue(symbol, out var ids))
        {
            seen[symbol] = ids = [];
        }

        var id = payload.RootElement.GetProperty("a").GetInt64();
        ids.Add(id);
        if (largeTradeQuote is { } threshold
            && ExactDecimal.Multiply(ExactDecimal.Parse(payload.RootElement.GetProperty("p").GetString()!), ExactDecimal.Parse(payload.RootElement.GetProperty("q").GetString()!)) >= threshold)
        {
            largeTrades.Add((symbol, id));
        }
    }

    consumer.Close();
}

var gaps = new List<FeedGap>();
config.GroupId += "-gaps";
using (var consumer = new ConsumerBuilder<string, FeedGap>(config).SetValueDeserializer(new ProtobufDeserializer<FeedGap>()).Build())
{
    consumer.Subscribe("binance.all.feed.gaps.v1");
    var idle = Stopwatch.StartNew();
    while (idle.Elapsed < TimeSpan.FromSeconds(2))
    {
        if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } record)
        {
            idle.Restart();
            gaps.Add(record.Message.Value);
        }
    }

    consumer.Close();
}

long expected = 0, missing = 0, inHoles = 0;
var missingExamples = new List<string>();
foreach (var symbol in truth)
{
    if (!seen.TryGetValue(symbol.Symbol, out var ids) || ids.Count == 0)
    {
        continue;
    }

    for (var id = ids.Min(); id <= symbol.LastAggregateId; id++)
    {
        expected++;
        if (ids.Contains(id))
        {
            continue;
        }

        if (holes.Any(h => h.Symbol == symbol.Symbol && id >= h.FirstId && id <= h.LastId))
        {
            inHoles++;
            continue;
        }

        missing++;
        if (missingExamples.Count < 10)
        {
            missingExamples.Add($"{symbol.Symbol} {id}");
        }
    }
}

var distinct = seen.Values.Sum(s => s.Count);
var tradeGaps = gaps.Count(g => g.Kind == FeedGapKind.AggTradeIds);
var depthGaps = gaps.Count(g => g.Kind == FeedGapKind.DepthUpdateIds);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  symbols    {seen.Count} of {truth.Count} seen in {topic}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  trades     {expected} expected (from each symbol's first id seen to the exchange's last), {distinct} distinct ids present, {missing} missing"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  records    {records} ({records - distinct} repeats removed downstream by id; {fromRest} from REST backfill)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  holes      {inHoles} ids the exchange's history lacks; feed gaps reported: {tradeGaps} aggTrade, {depthGaps} depth"));
if (missing > 0)
{
    Console.WriteLine("  MISSING    " + string.Join(", ", missingExamples));
}

if (largeTradeQuote is { } quote)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  large      {largeTrades.Count} distinct trades with p×q at or above {quote} (each must raise one alert)"));
    await File.WriteAllTextAsync(args[4], largeTrades.Count.ToString(CultureInfo.InvariantCulture));
}

// Per injected hole: how many of its ids the topic holds. A hole withheld from the streams is in effect only if the
// exchange reached it after it was injected: ids of it in the topic were published before the fault (injected too
// close to the exchange's last id), and a hole beyond the exchange's last id never happened; either way the run did
// not exercise what it claims to. A hole needs a gap report only if the pod missed some of its trades: the live
// stream still carries trades the exchange's history lacks, so a pod connected when they happened has nothing to report.
var holesInEffect = true;
var holesReported = true;
foreach (var hole in holes)
{
    var size = hole.LastId - hole.FirstId + 1;
    var present = seen.TryGetValue(hole.Symbol, out var ids) ? Enumerable.Range(0, (int)size).Count(i => ids.Contains(hole.FirstId + i)) : 0;
    var reached = truth.Any(t => t.Symbol == hole.Symbol && t.LastAggregateId >= hole.LastId);
    var inEffect = reached && (!hole.WithheldFromStreams || present == 0);
    holesInEffect &= inEffect;
    holesReported &= present == size
        || gaps.Any(g => g.Kind == FeedGapKind.AggTradeIds && g.Symbol == hole.Symbol && g.MissingIds.First <= hole.FirstId && g.MissingIds.Last >= hole.LastId);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  hole       {hole.Symbol} {hole.FirstId}..{hole.LastId}{(hole.WithheldFromStreams ? " (withheld from the streams)" : "")}: {present} of {size} ids in the topic{(inEffect ? "" : reached ? "; NOT IN EFFECT: the stream had carried them before the fault was injected" : "; NOT IN EFFECT: the exchange never reached these ids")}"));
}

var ok = missing == 0 && holesReported && holesInEffect && seen.Count > 0;
Console.WriteLine(ok ? "  result     OK" : "  result     FAILED");
return ok ? 0 : 1;

internal sealed record SymbolTruth(string Symbol, int Trades, long FirstAggregateId, long LastAggregateId);

internal sealed record Hole(string Symbol, long FirstId, long LastId, bool WithheldFromStreams);

internal static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
