using System.ComponentModel.DataAnnotations;

namespace TakerVolume.Configuration;

/// <summary>The taker-volume processor's configuration (section <c>TakerVolume</c>), validated at start-up.</summary>
public sealed class TakerVolumeOptions
{
    public const string SectionName = "TakerVolume";

    /// <summary>Which market's topics this instance reads and writes; the application id is <c>taker-volume-spot</c> or <c>taker-volume-usdm</c>.</summary>
    public TradingMarket Market { get; set; } = TradingMarket.Spot;

    /// <summary>Tumbling window length; windows start at UTC epoch multiples of it, like klines. Must divide a day.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan WindowSize { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How far stream time must pass a window's end before its final value is published.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a closed window is kept for late trades (which publish a new revision); a trade older than this is dead-lettered.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan WindowRetention { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Length of the trailing window (T − length, T].</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SlidingWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Output throttle: at most one trailing-window value per symbol per this interval (and per commit).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan SlidingEmitInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A hole in a symbol's aggregate trade ids still open after this much stream time is published as a feed gap.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan HoleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Holes tracked per symbol; beyond it the oldest is given up and reported (bounds memory).</summary>
    [Range(1, 1_000_000)]
    public int MaxHolesPerSymbol { get; set; } = 1024;

    /// <summary>Only these symbols (upper case); empty: every symbol whose quote asset is in <see cref="QuoteAssets"/>.</summary>
    public List<string> Symbols { get; set; } = [];

    /// <summary>Quote assets whose symbols are counted (suffix match; <c>*</c>: all); empty means <c>USDT</c>.</summary>
    public List<string> QuoteAssets { get; set; } = [];

    public IReadOnlyList<string> EffectiveQuoteAssets => QuoteAssets.Count > 0 ? QuoteAssets : ["USDT"];

    public AlertOptions Alerts { get; set; } = new();
}

/// <summary>Alert thresholds, in quote asset (USDT). Per-symbol entries replace the default for that symbol.</summary>
public sealed class AlertOptions
{
    /// <summary>A single aggregate trade with p × q at or above this raises a large-trade alert.</summary>
    [Range(typeof(decimal), "0", "79228162514264337593543950335")]
    public decimal LargeTradeQuote { get; set; } = 100_000m;

    public Dictionary<string, decimal> LargeTradeQuoteBySymbol { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Trailing-window taker buy volume that raises an alert when reached (none by default).</summary>
    public decimal? TrailingTakerBuyQuote { get; set; }

    /// <summary>Trailing-window taker sell volume that raises an alert when reached (none by default).</summary>
    public decimal? TrailingTakerSellQuote { get; set; }

    public Dictionary<string, decimal> TrailingTakerBuyQuoteBySymbol { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, decimal> TrailingTakerSellQuoteBySymbol { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>The markets the processor runs for (one application per market).</summary>
public enum TradingMarket
{
    Spot,
    UsdmFutures,
}
