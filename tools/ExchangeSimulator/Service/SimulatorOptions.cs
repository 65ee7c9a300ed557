using System.ComponentModel.DataAnnotations;

namespace ExchangeSimulator.Service;

/// <summary>The simulator program's configuration (section <c>Simulator</c>; command line <c>--Simulator:Spot:Seed=7</c>).</summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Simulator";

    /// <summary>Spot market (<c>/api/v3</c>, <c>/ws</c>, <c>/stream</c>).</summary>
    public MarketSection Spot { get; set; } = new() { Enabled = true };

    /// <summary>USD-M futures market (<c>/fapi/v1</c>, <c>/public</c>, <c>/market</c>); off by default.</summary>
    public MarketSection Futures { get; set; } = new() { Enabled = false, Seed = 2 };

    /// <summary>Simulated seconds per wall-clock second (replays and benchmarks run faster than real time).</summary>
    [Range(0.001, 1_000_000)]
    public double Speed { get; set; } = 1;

    /// <summary>How often simulated time is advanced.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:01")]
    public TimeSpan Tick { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Address the regions listen on: 127.0.0.1, or 0.0.0.0 in a container.</summary>
    [Required]
    [RegularExpression(@"^[0-9a-fA-F:.]+$", ErrorMessage = "ListenAddress must be an IP address")]
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>When set, the markets' URLs are written there as JSON once they listen (for scripts).</summary>
    public string? EndpointsFile { get; set; }

    /// <summary>Faults injected on a schedule (the control API injects them on demand).</summary>
    public List<ScheduledFault> Faults { get; set; } = [];
}

/// <summary>One market: a seeded simulation, or a replay of recorded files.</summary>
public sealed class MarketSection
{
    public bool Enabled { get; set; }

    /// <summary>Fixes every random choice of the simulated market.</summary>
    public int Seed { get; set; } = 1;

    [Range(1, 5000)]
    public int Symbols { get; set; } = 300;

    /// <summary>Aggregate trades per second over all symbols in the normal regime.</summary>
    [Range(0.01, 10_000_000)]
    public double TradesPerSecond { get; set; } = 1000;

    /// <summary>
    /// Symbols of the market not listed at start (e.g. <c>--Simulator:Spot:Unlisted:0=SUIUSDT</c>): absent from exchangeInfo and
    /// silent until the control API lists them.
    /// </summary>
    public List<string> Unlisted { get; set; } = [];

    /// <summary>Recorded files to replay instead of simulating (see tools/ExchangeSimulator/Replay/README.md).</summary>
    public List<string> Replay { get; set; } = [];

    /// <summary>
    /// Region names and their ports (0: a free port); none configured means <c>a</c> and <c>b</c> on free ports.
    /// (Empty rather than pre-filled: the configuration binder adds to a dictionary, so configured regions
    /// would otherwise come on top of the defaults.)
    /// </summary>
    public Dictionary<string, int> Regions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The regions to serve: <see cref="Regions"/>, or <c>a</c> and <c>b</c> on free ports.</summary>
    public IReadOnlyDictionary<string, int> EffectiveRegions => Regions.Count > 0
        ? Regions
        : new Dictionary<string, int>(StringComparer.Ordinal) { ["a"] = 0, ["b"] = 0 };
}
