using System.ComponentModel.DataAnnotations;
using Ingest.GapBackfill;

namespace Ingest;

/// <summary>The ingest pod's configuration (section <c>Ingest</c>), validated at start-up.</summary>
public sealed class IngestOptions
{
    public const string SectionName = "Ingest";

    /// <summary>This pod's name, stamped on every record; defaults to the host name (a StatefulSet's <c>ingest-3</c>).</summary>
    public string? InstanceId { get; set; }

    /// <summary>Collector region label; depth goes to that region's raw topic (<c>a</c> or <c>b</c> in the catalog).</summary>
    [Required]
    [RegularExpression("^[a-z0-9-]{1,32}$")]
    public string Region { get; set; } = "a";

    /// <summary>This pod's index among <see cref="PodCount"/>; null takes the ordinal from the instance id (<c>ingest-3</c> → 3), else 0.</summary>
    [Range(0, 1023)]
    public int? PodIndex { get; set; }

    /// <summary>Pods sharing the symbols; each symbol belongs to exactly one (rendezvous hashing, so scaling moves few).</summary>
    [Range(1, 1024)]
    public int PodCount { get; set; } = 1;

    public MarketIngestOptions Spot { get; set; } = new()
    {
        Enabled = true,
        WebSocketUrl = new Uri("wss://stream.binance.com:9443/"),
        RestUrl = new Uri("https://api.binance.com/"),
    };

    public MarketIngestOptions Futures { get; set; } = new()
    {
        Enabled = false,
        WebSocketUrl = new Uri("wss://fstream.binance.com/"),
        RestUrl = new Uri("https://fapi.binance.com/"),
    };

    public SymbolOptions Symbols { get; set; } = new();

    /// <summary>REST backfill of the aggregate-id holes other services (the taker-volume processor) report as feed gaps.</summary>
    public GapBackfillOptions GapBackfill { get; set; } = new();

    /// <summary>Streams per connection: far below Binance's 1024, so one connection's backlog or death touches few symbols.</summary>
    [Range(1, 1024)]
    public int MaxStreamsPerConnection { get; set; } = 200;

    /// <summary>Spacing of new connections: Spot allows 300 attempts per 5 minutes per IP (one per second).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ConnectionOpenInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>SUBSCRIBE/UNSUBSCRIBE messages per second per connection; Binance drops a connection over 5 incoming messages per second, pongs included.</summary>
    [Range(1, 4)]
    public int ControlMessagesPerSecond { get; set; } = 3;

    /// <summary>Connections are replaced (make-before-break) after this age, before Binance's 24 h limit.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "23:59:00")]
    public TimeSpan RotateAfter { get; set; } = TimeSpan.FromHours(23);

    /// <summary>A connection that delivers nothing for this long is dead, even if the socket is open.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ConnectionSilenceTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A kline stream that delivers nothing for this long is dead (klines are pushed every few seconds); zero disables.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan KlineSilenceTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Reconnect backoff: first delay, doubled up to <see cref="ReconnectMaxDelay"/>, with full jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Frames buffered between the socket loops and the publisher; beyond it frames are dropped and counted (ids catch the loss).</summary>
    [Range(1024, 10_000_000)]
    public int FrameBufferCapacity { get; set; } = 50_000;

    /// <summary>A connection whose events arrive later than this after their exchange time is reported (log and metric) as falling behind.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan LagReportThreshold { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Share of Binance's request-weight budget per minute this pod may use for backfill and discovery.</summary>
    [Range(1, 6000)]
    public int RestWeightPerMinute { get; set; } = 3000;
}

/// <summary>One market's endpoints and streams.</summary>
public sealed class MarketIngestOptions
{
    public bool Enabled { get; set; }

    [Required]
    public Uri WebSocketUrl { get; set; } = null!;

    [Required]
    public Uri RestUrl { get; set; } = null!;

    public bool AggTrades { get; set; } = true;

    /// <summary>Diff depth (<c>@depth@100ms</c>), published per region for the merger.</summary>
    public bool Depth { get; set; } = true;

    /// <summary>Closed and running <c>@kline_15m</c>, for reconciliation.</summary>
    public bool Klines { get; set; } = true;
}

/// <summary>Which symbols to ingest.</summary>
public sealed class SymbolOptions
{
    /// <summary>Quote assets of the symbols taken from exchangeInfo (status TRADING); none configured means USDT.</summary>
    /// <remarks>Empty by default because the configuration binder appends to a pre-filled list.</remarks>
    public List<string> QuoteAssets { get; set; } = [];

    public IReadOnlyList<string> EffectiveQuoteAssets => QuoteAssets.Count > 0 ? QuoteAssets : ["USDT"];

    /// <summary>Always ingested when the exchange lists them (any quote asset).</summary>
    public List<string> Include { get; set; } = [];

    public List<string> Exclude { get; set; } = [];

    /// <summary>How often exchangeInfo is read again, to follow listings and delistings live.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);
}
