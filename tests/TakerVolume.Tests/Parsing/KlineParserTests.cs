using System.Text;
using Streaming.Contracts;
using TakerVolume.Parsing;
using static TakerVolume.Tests.Parsing.JsonFields;

namespace TakerVolume.Tests.Parsing;

public sealed class KlineParserTests
{
    private const string Symbol = "FTMUSDT";

    /// <summary>The k object of a recorded spot kline_1m event (cryptofeed 4fe0297/BINANCE.ws.1.0).</summary>
    private static readonly JsonFields Body = new(
        ("t", "1628952360000"), ("T", "1628952419999"), ("s", Str(Symbol)), ("i", Str("1m")), ("f", "38248833"), ("L", "38248910"),
        ("o", Str("0.34064000")), ("c", Str("0.33993000")), ("h", Str("0.34070000")), ("l", Str("0.33934000")), ("v", Str("208601.00000000")),
        ("n", "78"), ("x", "false"), ("q", Str("70846.76968900")), ("V", Str("156046.30000000")), ("Q", Str("52984.16932200")), ("B", Str("0")));

    private static readonly ParsedKline Expected = new(
        1628952360000, 1628952419999, "1m", 38248833, 38248910,
        0.34064000m, 0.34070000m, 0.33934000m, 0.33993000m,
        208601.00000000m, 70846.76968900m, 156046.30000000m, 52984.16932200m,
        78, false, 1628952396573);

    public static TheoryData<string> RequiredBodyFields => new() { "t", "T", "i", "f", "L", "o", "c", "h", "l", "v", "n", "x", "q", "V", "Q" };

    [Fact]
    public void TryParse_SpotEvent_ReadsEveryFieldWithTheExchangesScale()
    {
        var kline = Parse(Event(Body));

        Assert.Equal(Expected, kline);
        Assert.Equal("52984.16932200", ExactDecimal.Format(kline.TakerBuyQuoteVolume));
        Assert.Equal("208601.00000000", ExactDecimal.Format(kline.BaseVolume));
    }

    [Fact]
    public void TryParse_UsdMFuturesEvent_Parses()
    {
        // Recorded (cryptofeed 906605d/BINANCE_FUTURES.ws.1.0).
        var payload = """{"e":"kline","E":1626992741424,"s":"CTKUSDT","k":{"t":1626992700000,"T":1626992759999,"s":"CTKUSDT","i":"1m","f":23961275,"L":23961322,"o":"1.01000","c":"1.01100","h":"1.01100","l":"1.01000","v":"3917","n":48,"x":false,"q":"3957.89900","V":"1729","Q":"1748.01900","B":"0"}}"""u8;

        Assert.Equal(PayloadError.None, KlineParser.TryParse(payload, "CTKUSDT", out var kline, out var reason));

        Assert.Null(reason);
        Assert.Equal(new ParsedKline(1626992700000, 1626992759999, "1m", 23961275, 23961322, 1.01000m, 1.01100m, 1.01000m, 1.01100m, 3917m, 3957.89900m, 1729m, 1748.01900m, 48, false, 1626992741424), kline);
        Assert.Equal(0, kline.BaseVolume.Scale);
        Assert.Equal(5, kline.QuoteVolume.Scale);
    }

    [Fact]
    public void TryParse_ClosedFifteenMinuteKlineInMicroseconds_IsInMilliseconds()
    {
        var body = Body.With("t", "1767225600000000").With("T", "1767226499999999").With("i", Str("15m")).With("x", "true");

        var kline = Parse(Event(body).With("E", "1767226500000123"));

        Assert.Equal(1767225600000, kline.OpenTimeMs);
        Assert.Equal(1767226499999, kline.CloseTimeMs);
        Assert.Equal(1767226500000, kline.EventTimeMs);
        Assert.Equal("15m", kline.Interval);
        Assert.True(kline.IsClosed);
    }

    [Fact]
    public void TryParse_OpenKline_ParsesWithIsClosedFalse()
    {
        // NotClosed is for callers that want only final klines; the parser reports x and accepts both.
        var kline = Parse(Event(Body.With("x", "false")));

        Assert.False(kline.IsClosed);
    }

    [Fact]
    public void TryParse_KlineWithoutTrades_Parses()
    {
        var zero = Str("0.00000000");
        var body = Body.With("f", "-1").With("L", "-1").With("n", "0")
            .With("o", zero).With("c", zero).With("h", zero).With("l", zero)
            .With("v", zero).With("q", zero).With("V", zero).With("Q", zero).With("x", "true");

        var kline = Parse(Event(body));

        Assert.Equal(-1, kline.FirstTradeId);
        Assert.Equal(-1, kline.LastTradeId);
        Assert.Equal(0, kline.TradeCount);
        Assert.Equal(0m, kline.Open);
        Assert.Equal(8, kline.Open.Scale);
        Assert.Equal(0m, kline.TakerBuyQuoteVolume);
    }

    [Fact]
    public void TryParse_EventWithoutOptionalFields_Parses()
    {
        var kline = Parse(new JsonFields(("k", Body.Without("s").Without("B").ToString())));

        Assert.Equal(Expected with { EventTimeMs = -1 }, kline);
    }

    [Fact]
    public void TryParse_CommonIntervals_AreSharedInstances()
    {
        var first = Parse(Event(Body.With("i", Str("15m"))));
        var second = Parse(Event(Body.With("i", Str("1\\u0035m"))));
        var unusual = Parse(Event(Body.With("i", Str("7m"))));

        Assert.Equal("15m", first.Interval);
        Assert.Same(first.Interval, second.Interval);
        Assert.Equal("7m", unusual.Interval);
    }

    public static TheoryData<string, string, string, string> BodyErrors => new()
    {
        // field of k, raw JSON value, error, the reason (exact)
        { "s", Str("ETHUSDT"), nameof(PayloadError.SymbolMismatch), "kline field 'k.s' is \"ETHUSDT\", expected the record's symbol \"FTMUSDT\"" },
        { "t", "null", nameof(PayloadError.MissingField), "kline field 'k.t' is null" },
        { "t", Str("1628952360000"), nameof(PayloadError.InvalidTime), "kline field 'k.t' is not a 64-bit integer: \"1628952360000\"" },
        { "t", "0", nameof(PayloadError.InvalidTime), "kline field 'k.t' is not a positive epoch time: 0" },
        { "T", "1628952360000", nameof(PayloadError.InvalidTime), "kline field 'k.T' is not after field 'k.t' (in ms: T=1628952360000, t=1628952360000)" },
        { "T", "1.5", nameof(PayloadError.InvalidTime), "kline field 'k.T' is not a 64-bit integer: 1.5" },
        { "i", Str(""), nameof(PayloadError.MissingField), "kline field 'k.i' is not a non-empty JSON string: \"\"" },
        { "i", "15", nameof(PayloadError.MissingField), "kline field 'k.i' is not a non-empty JSON string: 15" },
        { "f", Str("38248833"), nameof(PayloadError.InvalidIds), "kline field 'k.f' is not a 64-bit integer: \"38248833\"" },
        { "f", "-2", nameof(PayloadError.InvalidIds), "kline field 'k.f' is negative: -2" },
        { "f", "-1", nameof(PayloadError.InvalidIds), "kline field 'k.f' is negative: -1" },
        { "L", "38248832", nameof(PayloadError.InvalidIds), "kline field 'k.L' is below field 'k.f': L=38248832, f=38248833" },
        { "n", "-1", nameof(PayloadError.InvalidIds), "kline field 'k.n' is negative: -1" },
        { "n", "78.0", nameof(PayloadError.InvalidIds), "kline field 'k.n' is not a 64-bit integer: 78.0" },
        { "x", Str("false"), nameof(PayloadError.MissingField), "kline field 'k.x' is not a JSON boolean (true or false): \"false\"" },
        { "o", "0.34064", nameof(PayloadError.InvalidDecimal), "kline field 'k.o' is not an exact decimal string: 0.34064" },
        { "h", Str("1e3"), nameof(PayloadError.InvalidDecimal), "kline field 'k.h' is not an exact decimal string: \"1e3\"" },
        { "Q", Str("5 2984.16932200"), nameof(PayloadError.InvalidDecimal), "kline field 'k.Q' is not an exact decimal string: \"5 2984.16932200\"" },
        { "V", "null", nameof(PayloadError.MissingField), "kline field 'k.V' is null" },
        { "l", Str("-0.1"), nameof(PayloadError.NonPositivePrice), "kline field 'k.l' is negative: \"-0.1\"" },
        { "c", Str("0.00000000"), nameof(PayloadError.NonPositivePrice), "kline field 'k.c' is not a positive exact decimal although the kline has trades: \"0.00000000\"" },
        { "v", Str("-1"), nameof(PayloadError.NonPositiveQuantity), "kline field 'k.v' is negative: \"-1\"" },
        { "Q", Str("-0.00000001"), nameof(PayloadError.NonPositiveQuantity), "kline field 'k.Q' is negative: \"-0.00000001\"" },
    };

    [Theory]
    [MemberData(nameof(BodyErrors))]
    public void TryParse_BadBodyField_ReturnsTheErrorAndAReasonNamingTheField(string field, string rawValue, string error, string reason) =>
        AssertError(Event(Body.With(field, rawValue)), Enum.Parse<PayloadError>(error), reason);

    [Theory]
    [MemberData(nameof(RequiredBodyFields))]
    public void TryParse_MissingBodyField_IsMissingField(string field) =>
        AssertError(Event(Body.Without(field)), PayloadError.MissingField, $"kline field 'k.{field}' is missing");

    [Fact]
    public void TryParse_BadEventFields_AreReported()
    {
        AssertError(Event(Body).With("e", Str("aggTrade")), PayloadError.WrongEventType, "kline field 'e' is \"aggTrade\", expected \"kline\"");
        AssertError(Event(Body).With("s", Str("FTMUSDT ")), PayloadError.SymbolMismatch, "kline field 's' is \"FTMUSDT \", expected the record's symbol \"FTMUSDT\"");
        AssertError(Event(Body).With("E", Str("1")), PayloadError.InvalidTime, "kline field 'E' is not a 64-bit integer: \"1\"");
        AssertError(Event(Body).With("E", "0"), PayloadError.InvalidTime, "kline field 'E' is not a positive epoch time: 0");
        AssertError(Event(Body).Without("k"), PayloadError.MissingField, "kline field 'k' is missing");
        AssertError(Event(Body).With("k", "null"), PayloadError.MissingField, "kline field 'k' is null");
        AssertError(Event(Body).With("k", "[" + Body + "]"), PayloadError.MissingField, "kline field 'k' is not a JSON object: [{\"t\":1628952360000,");
        AssertError(Event(Body).WithRepeated("k", Body.ToString()), PayloadError.MalformedJson, "kline field 'k' appears more than once");
        AssertError(Event(Body.WithRepeated("Q", Str("1"))), PayloadError.MalformedJson, "kline field 'k.Q' appears more than once");
        AssertError("[]", PayloadError.MalformedJson, "kline payload is not a JSON object: []");
        AssertError(Event(Body).ToString() + "]", PayloadError.MalformedJson, "kline payload is not valid JSON: ");
        AssertError(Event(Body).ToString()[..^2], PayloadError.MalformedJson, "kline payload is not valid JSON: ");
    }

    [Fact]
    public void TryParse_EmptyKlineWithTradeCount_IsInvalidIds()
    {
        AssertError(Event(Body.With("f", "-1").With("L", "-1")), PayloadError.InvalidIds, "kline field 'k.n' is 78 although fields 'k.f' and 'k.L' are -1 (no trades)");
    }

    [Fact]
    public void TryParse_EscapesAndAnyPropertyOrder_GiveTheSameKline()
    {
        var random = new Random(4242);
        for (var i = 0; i < 300; i++)
        {
            var body = Body.Shuffled(random);
            if (i % 2 == 0)
            {
                body = body.WithEscapedNames();
            }

            var payload = new JsonFields(("e", Str("k\\u006cine")), ("E", "1628952396573"), ("s", Str("FTM\\u0055SDT")), ("k", body.ToString())).Shuffled(random);
            Assert.Equal(Expected, Parse(i % 3 == 0 ? payload.WithEscapedNames() : payload));
        }
    }

    [Fact]
    public void TryParse_SeveralErrors_ReportsTheFirstInAFixedOrderWhateverThePropertyOrder()
    {
        var cases = new (JsonFields Payload, PayloadError Error, string Field)[]
        {
            (Event(Body.With("s", Str("X")).Without("Q")).With("e", Str("trade")), PayloadError.WrongEventType, "'e'"),
            (Event(Body.With("s", Str("X")).Without("Q")), PayloadError.SymbolMismatch, "'k.s'"),
            (Event(Body.Without("Q").With("o", "1")), PayloadError.MissingField, "'k.Q'"),
            (Event(Body.With("o", "1").With("t", "0")), PayloadError.InvalidDecimal, "'k.o'"),
            (Event(Body.With("t", "0").With("v", Str("-1"))), PayloadError.InvalidTime, "'k.t'"),
        };

        var random = new Random(99);
        foreach (var (payload, error, field) in cases)
        {
            for (var i = 0; i < 50; i++)
            {
                var outer = payload.Shuffled(random);
                var shuffled = outer.With("k", new JsonFields([.. Split(outer.Value("k"))]).Shuffled(random).ToString());
                AssertError(shuffled, error, $"field {field}");
            }
        }
    }

    [Fact]
    public void TryParse_SuccessPath_DoesNotAllocate()
    {
        var spot = Event(Body.With("i", Str("15m"))).ToUtf8();
        var micro = Event(Body.With("t", "1767225600000000").With("T", "1767226499999999")).With("E", "1767226500000123").ToUtf8();
        for (var i = 0; i < 100; i++)
        {
            Run();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Run();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        void Run()
        {
            var ok = KlineParser.TryParse(spot, Symbol, out _, out _) == PayloadError.None
                && KlineParser.TryParse(micro, Symbol, out _, out _) == PayloadError.None;
            Assert.True(ok);
        }
    }

    private static JsonFields Event(JsonFields body) =>
        new(("e", Str("kline")), ("E", "1628952396573"), ("s", Str(Symbol)), ("k", body.ToString()));

    /// <summary>The (name, raw value) pairs of a flat object written by <see cref="JsonFields"/>.</summary>
    private static IEnumerable<(string, string)> Split(string json)
    {
        foreach (var pair in json[1..^1].Split(",\""))
        {
            var name = pair.TrimStart('"')[..pair.TrimStart('"').IndexOf('"', StringComparison.Ordinal)];
            yield return (name, pair[(pair.IndexOf("\":", StringComparison.Ordinal) + 2)..]);
        }
    }

    private static ParsedKline Parse(JsonFields payload)
    {
        var error = KlineParser.TryParse(payload.ToUtf8(), Symbol, out var kline, out var reason);
        Assert.True(error == PayloadError.None, $"{error}: {reason} in {payload}");
        Assert.Null(reason);
        return kline;
    }

    private static void AssertError(JsonFields payload, PayloadError expected, string reasonPart) => AssertError(payload.ToString(), expected, reasonPart);

    private static void AssertError(string payload, PayloadError expected, string reasonPart)
    {
        var error = KlineParser.TryParse(Encoding.UTF8.GetBytes(payload), Symbol, out var kline, out var reason);

        Assert.True(error == expected, $"expected {expected}, got {error}: {reason} in {payload}");
        Assert.Equal(default, kline);
        Assert.NotNull(reason);
        Assert.Contains(reasonPart, reason, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', reason);
    }
}
