using System.Text;
using Streaming.Contracts;
using TakerVolume.Parsing;
using static TakerVolume.Tests.Parsing.JsonFields;

namespace TakerVolume.Tests.Parsing;

public sealed class AggTradeParserTests
{
    private const string Symbol = "FTMUSDT";

    /// <summary>A recorded spot event (cryptofeed 4fe0297/BINANCE.ws.1.0, line 2).</summary>
    private static readonly JsonFields Spot = new(
        ("e", Str("aggTrade")), ("E", "1628952396573"), ("s", Str(Symbol)), ("a", "31718372"), ("p", Str("0.33993000")),
        ("q", Str("99.90000000")), ("f", "38248910"), ("l", "38248910"), ("T", "1628952396572"), ("m", "true"), ("M", "true"));

    private static readonly ParsedAggTrade SpotTrade = new(31718372, 0.33993000m, 99.90000000m, 38248910, 38248910, 1628952396572, -1, 1628952396573, BuyerIsMaker: true);

    public static TheoryData<string> RequiredFields => new() { "a", "p", "q", "f", "l", "T", "m" };

    [Fact]
    public void TryParse_SpotEvent_ReadsEveryFieldWithTheExchangesScale()
    {
        var trade = Parse(Spot);

        Assert.Equal(SpotTrade, trade);
        Assert.Equal(8, trade.Price.Scale);
        Assert.Equal("99.90000000", ExactDecimal.Format(trade.Quantity));
        Assert.False(trade.IsMarkedInvalid);
        Assert.Equal(1, trade.TradeCount);
    }

    [Fact]
    public void TryParse_UsdMFuturesEvent_HasNoMAndItsOwnFieldOrder()
    {
        // Recorded (cryptofeed 906605d/BINANCE_FUTURES.ws.1.0): "a" after "E", no "M".
        var payload = """{"e":"aggTrade","E":1626992741575,"a":16599292,"s":"CTKUSDT","p":"1.01100","q":"10","f":23961322,"l":23961322,"T":1626992741421,"m":false}"""u8;

        Assert.Equal(PayloadError.None, AggTradeParser.TryParse(payload, "CTKUSDT", out var trade, out var reason));

        Assert.Null(reason);
        Assert.Equal(new ParsedAggTrade(16599292, 1.01100m, 10m, 23961322, 23961322, 1626992741421, -1, 1626992741575, false), trade);
        Assert.Equal(5, trade.Price.Scale);
        Assert.Equal(0, trade.Quantity.Scale);
    }

    [Fact]
    public void TryParse_SpotRestRow_HasNoEventTimeOrSymbol()
    {
        // GET /api/v3/aggTrades, the example of Binance's documentation.
        var payload = """{"a":26129,"p":"0.01633102","q":"4.70443515","f":27781,"l":27781,"T":1498793709153,"m":true,"M":true}"""u8;

        Assert.Equal(PayloadError.None, AggTradeParser.TryParse(payload, "BNBBTC", out var trade, out _));

        Assert.Equal(new ParsedAggTrade(26129, 0.01633102m, 4.70443515m, 27781, 27781, 1498793709153, -1, -1, true), trade);
    }

    [Fact]
    public void TryParse_FuturesRestRowWithExtraFields_IgnoresThem()
    {
        // GET /fapi/v1/aggTrades, with "nq" (quantity without RPI) and a nested unknown field.
        var payload = """{"a":26129,"p":"0.01633102","q":"4.70443515","nq":"4.70443515","f":27781,"l":27783,"T":1498793709153,"m":false,"future":{"a":[1,{"p":"x"}],"T":null}}"""u8;

        Assert.Equal(PayloadError.None, AggTradeParser.TryParse(payload, "BNBBTC", out var trade, out _));

        Assert.Equal(new ParsedAggTrade(26129, 0.01633102m, 4.70443515m, 27781, 27783, 1498793709153, -1, -1, false), trade);
        Assert.Equal(3, trade.TradeCount);
    }

    [Fact]
    public void TryParse_MicrosecondTimes_KeepsMicrosecondsAndFloorsToMilliseconds()
    {
        var payload = Spot.With("T", "1767225600039409").With("E", "1767225600040999");

        var trade = Parse(payload);

        Assert.Equal(1767225600039409, trade.TradeTimeUs);
        Assert.Equal(1767225600039, trade.TradeTimeMs);
        Assert.Equal(1767225600040, trade.EventTimeMs);
    }

    [Theory]
    [InlineData(99_999_999_999_999, 99_999_999_999_999, -1)] // just below 1e14: milliseconds
    [InlineData(100_000_000_000_000, 100_000_000_000, 100_000_000_000_000)] // 1e14: microseconds
    [InlineData(1_628_952_396_572, 1_628_952_396_572, -1)]
    public void TryParse_TradeTime_UnitByMagnitude(long time, long expectedMs, long expectedUs)
    {
        var trade = Parse(Spot.With("T", time.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(expectedMs, trade.TradeTimeMs);
        Assert.Equal(expectedUs, trade.TradeTimeUs);
    }

    [Fact]
    public void TryParse_BinancesInvalidRow_ParsesAndIsMarkedInvalid()
    {
        // A row of Binance's 2022-04-12 audit: p = 0, q = 0, f = -1, l = -1.
        var payload = """{"a":1083579,"p":"0.00000000","q":"0.00000000","f":-1,"l":-1,"T":1649750400000,"m":false,"M":true}"""u8;

        Assert.Equal(PayloadError.None, AggTradeParser.TryParse(payload, "BTCUSDT", out var trade, out var reason));

        Assert.Null(reason);
        Assert.True(trade.IsMarkedInvalid);
        Assert.Equal(1083579, trade.AggregateId);
        Assert.Equal(8, trade.Price.Scale);
    }

    [Fact]
    public void TryParse_OnlyPartOfTheInvalidMarker_IsRejected()
    {
        AssertError(Spot.With("f", "-1").With("l", "-1"), PayloadError.InvalidIds, "aggTrade field 'f' is negative: -1");
        AssertError(Spot.With("p", Str("0.00000000")), PayloadError.NonPositivePrice, "aggTrade field 'p' is not a positive exact decimal: \"0.00000000\"");
        AssertError(Spot.With("p", Str("0")).With("q", Str("0")).With("f", "-1"), PayloadError.NonPositivePrice, "field 'p'");
    }

    public static TheoryData<string, string, string, string> Errors => new()
    {
        // field, raw JSON value, error, the reason (exact)
        { "e", Str("trade"), nameof(PayloadError.WrongEventType), "aggTrade field 'e' is \"trade\", expected \"aggTrade\"" },
        { "e", Str("AGGTRADE"), nameof(PayloadError.WrongEventType), "aggTrade field 'e' is \"AGGTRADE\", expected \"aggTrade\"" },
        { "e", "null", nameof(PayloadError.WrongEventType), "aggTrade field 'e' is null, expected \"aggTrade\"" },
        { "s", Str("ETHUSDT"), nameof(PayloadError.SymbolMismatch), "aggTrade field 's' is \"ETHUSDT\", expected the record's symbol \"FTMUSDT\"" },
        { "s", Str("ftmusdt"), nameof(PayloadError.SymbolMismatch), "aggTrade field 's' is \"ftmusdt\", expected the record's symbol \"FTMUSDT\"" },
        { "s", "7", nameof(PayloadError.SymbolMismatch), "aggTrade field 's' is 7, expected the record's symbol \"FTMUSDT\"" },
        { "p", "null", nameof(PayloadError.MissingField), "aggTrade field 'p' is null" },
        { "p", "0.33993", nameof(PayloadError.InvalidDecimal), "aggTrade field 'p' is not an exact decimal string: 0.33993" },
        { "p", Str("3.3993e-1"), nameof(PayloadError.InvalidDecimal), "aggTrade field 'p' is not an exact decimal string: \"3.3993e-1\"" },
        { "p", Str("+0.33993000"), nameof(PayloadError.InvalidDecimal), "aggTrade field 'p' is not an exact decimal string: \"+0.33993000\"" },
        { "p", Str(" 0.33993000"), nameof(PayloadError.InvalidDecimal), "aggTrade field 'p' is not an exact decimal string: \" 0.33993000\"" },
        { "p", Str(""), nameof(PayloadError.InvalidDecimal), "aggTrade field 'p' is not an exact decimal string: \"\"" },
        { "p", "[\"1\"]", nameof(PayloadError.InvalidDecimal), "aggTrade field 'p' is not an exact decimal string: [\"1\"]" },
        { "q", Str("1.00000000000000000000000000000"), nameof(PayloadError.InvalidDecimal), "aggTrade field 'q' is not an exact decimal string: \"1.00000000000000000000000000000\"" },
        { "q", Str("79228162514264337593543950336"), nameof(PayloadError.InvalidDecimal), "aggTrade field 'q' is not an exact decimal string: \"79228162514264337593543950336\"" },
        { "p", Str("-1.5"), nameof(PayloadError.NonPositivePrice), "aggTrade field 'p' is not a positive exact decimal: \"-1.5\"" },
        { "q", Str("0.00000000"), nameof(PayloadError.NonPositiveQuantity), "aggTrade field 'q' is not a positive exact decimal: \"0.00000000\"" },
        { "q", Str("-0.1"), nameof(PayloadError.NonPositiveQuantity), "aggTrade field 'q' is not a positive exact decimal: \"-0.1\"" },
        { "a", "-1", nameof(PayloadError.InvalidIds), "aggTrade field 'a' is negative: -1" },
        { "a", Str("31718372"), nameof(PayloadError.InvalidIds), "aggTrade field 'a' is not a 64-bit integer: \"31718372\"" },
        { "a", "31718372.0", nameof(PayloadError.InvalidIds), "aggTrade field 'a' is not a 64-bit integer: 31718372.0" },
        { "f", "9223372036854775808", nameof(PayloadError.InvalidIds), "aggTrade field 'f' is not a 64-bit integer: 9223372036854775808" },
        { "f", "-2", nameof(PayloadError.InvalidIds), "aggTrade field 'f' is negative: -2 (and p, q, f, l are not Binance's invalid-row marker 0, 0, -1, -1)" },
        { "l", "38248909", nameof(PayloadError.InvalidIds), "aggTrade field 'l' is below field 'f': l=38248909, f=38248910" },
        { "l", "3.8e7", nameof(PayloadError.InvalidIds), "aggTrade field 'l' is not a 64-bit integer: 3.8e7" },
        { "T", "0", nameof(PayloadError.InvalidTime), "aggTrade field 'T' is not a positive epoch time: 0" },
        { "T", "-1628952396572", nameof(PayloadError.InvalidTime), "aggTrade field 'T' is not a positive epoch time: -1628952396572" },
        { "T", Str("1628952396572"), nameof(PayloadError.InvalidTime), "aggTrade field 'T' is not a 64-bit integer: \"1628952396572\"" },
        { "E", "-5", nameof(PayloadError.InvalidTime), "aggTrade field 'E' is not a positive epoch time: -5" },
        { "E", "null", nameof(PayloadError.InvalidTime), "aggTrade field 'E' is not a 64-bit integer: null" },
        { "m", Str("true"), nameof(PayloadError.MissingField), "aggTrade field 'm' is not a JSON boolean (true or false): \"true\"" },
        { "m", "1", nameof(PayloadError.MissingField), "aggTrade field 'm' is not a JSON boolean (true or false): 1" },
        { "m", "null", nameof(PayloadError.MissingField), "aggTrade field 'm' is null" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void TryParse_BadField_ReturnsTheErrorAndAReasonNamingTheField(string field, string rawValue, string error, string reason) =>
        AssertError(Spot.With(field, rawValue), Enum.Parse<PayloadError>(error), reason);

    [Theory]
    [MemberData(nameof(RequiredFields))]
    public void TryParse_MissingRequiredField_IsMissingField(string field)
    {
        AssertError(Spot.Without(field), PayloadError.MissingField, $"aggTrade field '{field}' is missing");
    }

    [Theory]
    [InlineData("e")]
    [InlineData("E")]
    [InlineData("s")]
    [InlineData("M")]
    public void TryParse_OptionalFieldAbsent_Parses(string field)
    {
        var trade = Parse(Spot.Without(field));

        Assert.Equal(field == "E" ? SpotTrade with { EventTimeMs = -1 } : SpotTrade, trade);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\":01}")]
    [InlineData("{'a':1}")]
    [InlineData("{\"a\":1} /* comment */")]
    [InlineData("{\"a\":1}{\"a\":2}")]
    [InlineData("{\"a\":1} x")]
    [InlineData("{\"a\":tru}")]
    [InlineData("{\"p\":\"1\\x\"}")]
    public void TryParse_MalformedJson_QuotesTheReadersMessage(string json)
    {
        var error = AggTradeParser.TryParse(Encoding.UTF8.GetBytes(json), Symbol, out var trade, out var reason);

        Assert.Equal(PayloadError.MalformedJson, error);
        Assert.Equal(default, trade);
        Assert.StartsWith("aggTrade payload is not valid JSON: ", reason, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', reason!);
    }

    [Theory]
    [InlineData("[]", "[]")]
    [InlineData("[{\"a\":1}]", "[{\"a\":1}]")]
    [InlineData("\"aggTrade\"", "\"aggTrade\"")]
    [InlineData("42", "42")]
    [InlineData("null", "null")]
    public void TryParse_TopLevelNotAnObject_IsMalformedJson(string json, string quoted)
    {
        AssertError(json, PayloadError.MalformedJson, $"aggTrade payload is not a JSON object: {quoted}");
    }

    [Fact]
    public void TryParse_MalformedAfterABadField_ReportsTheMalformedJson()
    {
        var json = Spot.With("p", Str("x")).ToString()[..^1] + ",\"z\":}";

        Assert.Equal(PayloadError.MalformedJson, AggTradeParser.TryParse(Encoding.UTF8.GetBytes(json), Symbol, out _, out _));
    }

    [Theory]
    [InlineData("p", "\"0.5\"")]
    [InlineData("a", "31718372")]
    [InlineData("e", "\"aggTrade\"")]
    [InlineData("s", "\"FTMUSDT\"")]
    [InlineData("E", "1")]
    public void TryParse_FieldGivenTwice_IsRejectedEvenWithTheSameValue(string field, string rawValue)
    {
        AssertError(Spot.WithRepeated(field, rawValue), PayloadError.MalformedJson, $"aggTrade field '{field}' appears more than once");
    }

    [Fact]
    public void TryParse_UnknownFieldGivenTwice_IsIgnored()
    {
        Assert.Equal(SpotTrade, Parse(Spot.WithRepeated("M", "false").WithRepeated("nq", Str("1"))));
    }

    [Fact]
    public void TryParse_EscapedNamesAndValues_AreUnescaped()
    {
        var escaped = Spot.WithEscapedNames()
            .With("\\u0065", Str("agg\\u0054rade"))
            .With("\\u0073", Str("FTM\\u0055SDT"))
            .With("\\u0070", Str("0.3399300\\u0030"))
            .With("\\u0071", Str("\\u0039\\u0039.90000000"));

        Assert.Contains("\\u0070", escaped.ToString(), StringComparison.Ordinal);
        Assert.Equal(SpotTrade, Parse(escaped));
        Assert.Equal(8, Parse(escaped).Price.Scale);

        // Longer than the parser's stack buffer for unescaping: 300 leading zeros are still exact decimal text.
        var longEscaped = Parse(Spot.With("p", Str(new string('0', 300) + "\\u0031.50")));
        Assert.Equal(1.50m, longEscaped.Price);
        Assert.Equal(2, longEscaped.Price.Scale);
    }

    [Fact]
    public void TryParse_EscapedWrongValues_AreReportedWithTheTextAsSent()
    {
        AssertError(Spot.With("e", Str("\\u0074rade")), PayloadError.WrongEventType, "aggTrade field 'e' is \"\\u0074rade\", expected \"aggTrade\"");
        AssertError(Spot.With("s", Str("FTM\\u0075SDT")), PayloadError.SymbolMismatch, "aggTrade field 's' is \"FTM\\u0075SDT\"");
        AssertError(Spot.With("p", Str("1\\u00a0")), PayloadError.InvalidDecimal, "aggTrade field 'p' is not an exact decimal string: \"1\\u00a0\"");
        AssertError(Spot.With("p", Str("\\u002d1")), PayloadError.NonPositivePrice, "aggTrade field 'p' is not a positive exact decimal: \"\\u002d1\"");
    }

    [Fact]
    public void TryParse_NamesThatOnlyResembleFields_AreIgnored()
    {
        // Longer names, other letters, non-ASCII: not fields of an aggTrade.
        var payload = Spot.With("pp", Str("x")).With("P", "[1]").With("\u00e9", "{}").With("\\u00e9", "1").With("", "2").With("\\u0000", "3");

        Assert.Equal(SpotTrade, Parse(payload));
    }

    [Fact]
    public void TryParse_PropertiesInAnyOrder_GiveTheSameTrade()
    {
        var random = new Random(1517);
        for (var i = 0; i < 500; i++)
        {
            Assert.Equal(SpotTrade, Parse(Spot.Shuffled(random)));
        }
    }

    [Fact]
    public void TryParse_SeveralErrors_ReportsTheFirstInAFixedOrderWhateverThePropertyOrder()
    {
        // Bad s, missing T, non-decimal p, negative a: s wins; without s, missing T; then p; then a.
        var cases = new (JsonFields Payload, PayloadError Error, string Field)[]
        {
            (Spot.With("s", Str("X")).Without("T").With("p", "1").With("a", "-1").With("e", Str("aggTrade")), PayloadError.SymbolMismatch, "'s'"),
            (Spot.Without("T").With("p", "1").With("a", "-1"), PayloadError.MissingField, "'T'"),
            (Spot.With("p", "1").With("a", "-1").With("T", "0"), PayloadError.InvalidDecimal, "'p'"),
            (Spot.With("a", "-1").With("T", "0").With("q", Str("0")), PayloadError.InvalidIds, "'a'"),
            (Spot.With("T", "0").With("q", Str("0")), PayloadError.NonPositiveQuantity, "'q'"),
            (Spot.With("e", Str("trade")).With("s", Str("X")), PayloadError.WrongEventType, "'e'"),
        };

        var random = new Random(8);
        foreach (var (payload, error, field) in cases)
        {
            for (var i = 0; i < 50; i++)
            {
                AssertError(payload.Shuffled(random), error, $"field {field}");
            }
        }
    }

    [Fact]
    public void TryParse_Reason_IsOneLineAndShortEvenForALongMultiLineValue()
    {
        var value = "{\n\"x\": \"" + new string('9', 500) + "\"\r\n}";

        var reason = AssertError(Spot.With("p", value), PayloadError.InvalidDecimal, "aggTrade field 'p' is not an exact decimal string: { \"x\": \"999");

        Assert.DoesNotContain('\n', reason);
        Assert.DoesNotContain('\r', reason);
        Assert.EndsWith("...", reason, StringComparison.Ordinal);
        Assert.True(reason.Length < 200, reason);
    }

    [Fact]
    public void TryParse_NullSymbol_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => AggTradeParser.TryParse(Spot.ToUtf8(), null!, out _, out _));
    }

    [Fact]
    public void TryParse_SuccessPath_DoesNotAllocate()
    {
        var spot = Spot.ToUtf8();
        var futures = """{"e":"aggTrade","E":1626992741575,"a":16599292,"s":"CTKUSDT","p":"1.01100","q":"10","f":23961322,"l":23961322,"T":1626992741421,"m":false}"""u8.ToArray();
        var rest = """{"a":26129,"p":"0.01633102","q":"4.70443515","nq":"4.70443515","f":27781,"l":27781,"T":1767225600039409,"m":true,"M":true}"""u8.ToArray();
        var wide = Spot.With("q", Str("1234567890123.1234567890123456")).ToUtf8();
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
            var ok = AggTradeParser.TryParse(spot, Symbol, out _, out _) == PayloadError.None
                && AggTradeParser.TryParse(futures, "CTKUSDT", out _, out _) == PayloadError.None
                && AggTradeParser.TryParse(rest, "BNBBTC", out _, out _) == PayloadError.None
                && AggTradeParser.TryParse(wide, Symbol, out _, out _) == PayloadError.None;
            Assert.True(ok);
        }
    }

    private static ParsedAggTrade Parse(JsonFields payload)
    {
        var error = AggTradeParser.TryParse(payload.ToUtf8(), Symbol, out var trade, out var reason);
        Assert.True(error == PayloadError.None, $"{error}: {reason} in {payload}");
        Assert.Null(reason);
        return trade;
    }

    private static string AssertError(JsonFields payload, PayloadError expected, string reasonPart) => AssertError(payload.ToString(), expected, reasonPart);

    private static string AssertError(string payload, PayloadError expected, string reasonPart)
    {
        var error = AggTradeParser.TryParse(Encoding.UTF8.GetBytes(payload), Symbol, out var trade, out var reason);

        Assert.True(error == expected, $"expected {expected}, got {error}: {reason} in {payload}");
        Assert.Equal(default, trade);
        Assert.NotNull(reason);
        Assert.Contains(reasonPart, reason, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', reason);
        return reason;
    }
}
