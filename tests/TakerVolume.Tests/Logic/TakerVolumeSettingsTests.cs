using TakerVolume.Configuration;

namespace TakerVolume.Tests.Logic;

public sealed class TakerVolumeSettingsTests
{
    [Theory]
    [InlineData(1_700_000_100_000L, 1_700_000_100_000L)]
    [InlineData(1_700_000_999_999L, 1_700_000_100_000L)]
    [InlineData(1_700_001_000_000L, 1_700_001_000_000L)]
    [InlineData(1_700_000_099_999L, 1_699_999_200_000L)]
    [InlineData(0L, 0L)]
    [InlineData(-1L, -900_000L)]
    public void WindowStart_FifteenMinutes_IsTheUtcEpochMultipleAtOrBefore(long timeMs, long start)
    {
        Assert.Equal(start, new TakerVolumeSettings(new TakerVolumeOptions()).WindowStart(timeMs));
    }

    [Fact]
    public void WindowStart_RandomTimesAndSizes_AlignLikeKlines()
    {
        long[] sizes = [1_000, 60_000, 900_000, 3_600_000, 86_400_000];
        LogicSeeds.Check(500, seed =>
        {
            var random = new Random(seed);
            var size = sizes[random.Next(sizes.Length)];
            var settings = new TakerVolumeSettings(new TakerVolumeOptions { WindowSize = TimeSpan.FromMilliseconds(size) });
            var time = random.NextInt64(-100_000_000_000, 4_000_000_000_000);

            var start = settings.WindowStart(time);

            Assert.Equal(0, start % size);
            Assert.InRange(time, start, start + size - 1);
            var utc = DateTimeOffset.FromUnixTimeMilliseconds(start);
            Assert.Equal(0, (long)utc.TimeOfDay.TotalMilliseconds % size);
        });
    }

    [Fact]
    public void Constructor_ConvertsLengthsToMilliseconds()
    {
        var settings = new TakerVolumeSettings(new TakerVolumeOptions
        {
            WindowSize = TimeSpan.FromMinutes(15),
            Grace = TimeSpan.FromSeconds(10),
            WindowRetention = TimeSpan.FromHours(6),
            SlidingWindow = TimeSpan.FromMinutes(5),
            HoleTimeout = TimeSpan.FromSeconds(30),
            MaxHolesPerSymbol = 64,
        });

        Assert.Equal(900_000, settings.WindowSizeMs);
        Assert.Equal(10_000, settings.GraceMs);
        Assert.Equal(21_600_000, settings.RetentionMs);
        Assert.Equal(300_000, settings.SlidingMs);
        Assert.Equal(30_000, settings.HoleTimeoutMs);
        Assert.Equal(64, settings.MaxHolesPerSymbol);
        Assert.True(settings.ReconcilesWithKlines);
        Assert.False(new TakerVolumeSettings(new TakerVolumeOptions { WindowSize = TimeSpan.FromMinutes(5) }).ReconcilesWithKlines);
    }

    [Theory]
    [InlineData("BTCUSDT", true)]
    [InlineData("1000SHIBUSDT", true)]
    [InlineData("USDT", false)] // the quote asset alone is no symbol
    [InlineData("ETHBTC", false)]
    [InlineData("USDTTRY", false)]
    [InlineData("btcusdt", false)]
    public void Counts_ByDefault_EverySymbolQuotedInUsdt(string symbol, bool counted)
    {
        Assert.Equal(counted, new TakerVolumeSettings(new TakerVolumeOptions()).Counts(symbol));
    }

    [Fact]
    public void Counts_QuoteAssets_SuffixMatchOrStar()
    {
        var settings = new TakerVolumeSettings(new TakerVolumeOptions { QuoteAssets = ["BTC", "USDC"] });
        Assert.True(settings.Counts("ETHBTC"));
        Assert.True(settings.Counts("ETHUSDC"));
        Assert.False(settings.Counts("ETHUSDT"));

        var all = new TakerVolumeSettings(new TakerVolumeOptions { QuoteAssets = ["*"] });
        Assert.True(all.Counts("ETHUSDT"));
        Assert.True(all.Counts("BNBETH"));
    }

    [Fact]
    public void Counts_ExplicitSymbols_OnlyThoseWhateverTheQuoteAsset()
    {
        var settings = new TakerVolumeSettings(new TakerVolumeOptions { Symbols = ["BTCUSDT", "ETHBTC"], QuoteAssets = ["USDT"] });

        Assert.True(settings.Counts("BTCUSDT"));
        Assert.True(settings.Counts("ETHBTC"));
        Assert.False(settings.Counts("XRPUSDT"));
    }

    [Fact]
    public void Thresholds_PerSymbolEntriesReplaceTheDefaults()
    {
        var options = new TakerVolumeOptions();
        options.Alerts.LargeTradeQuote = 100_000m;
        options.Alerts.LargeTradeQuoteBySymbol["BTCUSDT"] = 1_000_000m;
        options.Alerts.TrailingTakerBuyQuote = 5_000_000m;
        options.Alerts.TrailingTakerBuyQuoteBySymbol["ETHUSDT"] = 2_000_000m;
        options.Alerts.TrailingTakerSellQuoteBySymbol["XRPUSDT"] = 300_000m;
        var settings = new TakerVolumeSettings(options);

        Assert.Equal(1_000_000m, settings.LargeTradeThreshold("BTCUSDT"));
        Assert.Equal(100_000m, settings.LargeTradeThreshold("ETHUSDT"));
        Assert.Equal(2_000_000m, settings.TrailingBuyThreshold("ETHUSDT"));
        Assert.Equal(5_000_000m, settings.TrailingBuyThreshold("BTCUSDT"));
        Assert.Equal(300_000m, settings.TrailingSellThreshold("XRPUSDT"));
        Assert.Null(settings.TrailingSellThreshold("BTCUSDT"));
    }
}

public sealed class TakerVolumeOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var result = new TakerVolumeOptionsValidator().Validate(null, new TakerVolumeOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData(15 * 60_000)]
    [InlineData(45 * 60_000)]
    [InlineData(86_400_000)]
    [InlineData(1_000)]
    public void Validate_WindowSizeDividingADay_Succeeds(long sizeMs)
    {
        var options = new TakerVolumeOptions { WindowSize = TimeSpan.FromMilliseconds(sizeMs), WindowRetention = TimeSpan.FromDays(2) };

        Assert.True(new TakerVolumeOptionsValidator().Validate(null, options).Succeeded);
    }

    public static TheoryData<string, Action<TakerVolumeOptions>> Invalid => new()
    {
        { "TakerVolume:WindowSize", o => o.WindowSize = TimeSpan.FromMinutes(7) },
        { "TakerVolume:WindowSize", o => o.WindowSize = TimeSpan.FromTicks(TimeSpan.TicksPerSecond + 1) },
        { "TakerVolume:SlidingWindow", o => o.SlidingWindow = TimeSpan.FromTicks((15 * TimeSpan.TicksPerMinute) + 5) },
        { "TakerVolume:WindowRetention", o => o.WindowRetention = TimeSpan.FromMinutes(15) },
        { "TakerVolume:Symbols", o => o.Symbols = ["BTCUSDT", "btcusdt"] },
        { "TakerVolume:Symbols", o => o.Symbols = ["BTC-USDT"] },
        { "TakerVolume:QuoteAssets", o => o.QuoteAssets = ["usdt"] },
        { "TakerVolume:QuoteAssets", o => o.QuoteAssets = [string.Empty] },
        { "TakerVolume:Alerts:LargeTradeQuote", o => o.Alerts.LargeTradeQuote = 0m },
        { "TakerVolume:Alerts:TrailingTakerBuyQuote", o => o.Alerts.TrailingTakerBuyQuote = -1m },
        { "TakerVolume:Alerts:TrailingTakerSellQuote", o => o.Alerts.TrailingTakerSellQuote = 0m },
        { "TakerVolume:Alerts:LargeTradeQuoteBySymbol", o => o.Alerts.LargeTradeQuoteBySymbol["btcusdt"] = 5m },
        { "TakerVolume:Alerts:LargeTradeQuoteBySymbol:BTCUSDT", o => o.Alerts.LargeTradeQuoteBySymbol["BTCUSDT"] = -5m },
        { "TakerVolume:Alerts:TrailingTakerBuyQuoteBySymbol:ETHUSDT", o => o.Alerts.TrailingTakerBuyQuoteBySymbol["ETHUSDT"] = 0m },
        { "TakerVolume:Alerts:TrailingTakerSellQuoteBySymbol:ETHUSDT", o => o.Alerts.TrailingTakerSellQuoteBySymbol["ETHUSDT"] = -1m },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_InvalidSetting_FailsNamingItsFullKey(string key, Action<TakerVolumeOptions> change)
    {
        var options = new TakerVolumeOptions();
        change(options);

        var result = new TakerVolumeOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith(key + ": ", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LowerCaseSymbolWithNonPositiveThreshold_NamesTheSymbolsKeyAndTheEntrysKey()
    {
        var options = new TakerVolumeOptions();
        options.Alerts.LargeTradeQuoteBySymbol["btcusdt"] = -1m;

        var result = new TakerVolumeOptionsValidator().Validate(null, options);

        Assert.Equal(2, result.Failures!.Count());
        Assert.Contains(result.Failures!, failure => failure.StartsWith("TakerVolume:Alerts:LargeTradeQuoteBySymbol: 'btcusdt'", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, failure => failure.StartsWith("TakerVolume:Alerts:LargeTradeQuoteBySymbol:btcusdt: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEach()
    {
        var options = new TakerVolumeOptions { WindowSize = TimeSpan.FromMinutes(7), QuoteAssets = ["usdt"] };
        options.Alerts.LargeTradeQuote = 0m;

        var result = new TakerVolumeOptionsValidator().Validate(null, options);

        Assert.Equal(3, result.Failures!.Count());
    }

    [Fact]
    public void Validate_ZeroWindowSize_FailsNamingTheKeyInsteadOfThrowing()
    {
        var options = new TakerVolumeOptions { WindowSize = TimeSpan.Zero };

        var result = new TakerVolumeOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, failure => failure.StartsWith("TakerVolume:WindowSize: ", StringComparison.Ordinal));
    }
}
