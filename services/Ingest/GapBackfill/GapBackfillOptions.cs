using System.ComponentModel.DataAnnotations;
using Streaming.Contracts.Common.V1;

namespace Ingest.GapBackfill;

/// <summary>
/// Backfill on other services' feed gaps (section <c>Ingest:GapBackfill</c>): the taker-volume processor publishes
/// the aggregate ids it still lacks to <c>binance.all.feed.gaps.v1</c>, and one ingest pod per gap fetches them from
/// REST into the raw topic.
/// </summary>
public sealed class GapBackfillOptions
{
    /// <summary>The placeholder in <see cref="GroupId"/> replaced by the market's topic name (<c>spot</c>, <c>usdm</c>).</summary>
    public const string MarketPlaceholder = "{market}";

    /// <summary>The detector prefix of the ingest pods' own gap reports, never acted on: backfilling them again would loop.</summary>
    public const string IngestDetectorPrefix = "ingest/";

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Consumer group shared by every ingest pod of a market, whatever its region or ordinal, so each gap is fetched by
    /// one pod. One group per market, because a pod ignores (and commits) the gaps of markets it does not ingest.
    /// </summary>
    [Required]
    [StringLength(200, MinimumLength = 1)]
    public string GroupId { get; set; } = "ingest-gap-backfill-" + MarketPlaceholder;

    /// <summary>
    /// Detector prefixes acted on (e.g. <c>taker-volume-</c>); none configured means every detector except the ingest
    /// pods themselves (<see cref="IngestDetectorPrefix"/>), which are never acted on.
    /// </summary>
    /// <remarks>Empty by default because the configuration binder appends to a pre-filled list.</remarks>
    public List<string> AcceptedDetectors { get; set; } = [];

    /// <summary>
    /// Gaps detected longer ago than this are ignored: a new group starts at the topic's oldest record (90 days are
    /// kept). Keep it below the processor's <c>WindowRetention</c> (6 h): older trades no longer reach a window there.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "90.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Ids fetched per gap at most: its first this many, so a bogus or huge range cannot eat the pod's REST budget
    /// (100,000 ids are 100 requests: weight 400 on Spot, 2,000 on USD-M futures).
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxIdsPerGap { get; set; } = 100_000;

    /// <summary>A gap naming the same symbol and ids as one requested this recently is not fetched again; zero disables.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RepeatWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Requests remembered for <see cref="RepeatWindow"/> at most; beyond it the oldest is forgotten.</summary>
    [Range(1, 1_000_000)]
    public int RepeatMemory { get; set; } = 10_000;

    /// <summary>The group of <paramref name="market"/>'s listeners: <see cref="GroupId"/> with its placeholder replaced.</summary>
    public string GroupIdFor(Market market) =>
        GroupId.Replace(MarketPlaceholder, market == Market.UsdmFutures ? "usdm" : "spot", StringComparison.Ordinal);
}
