using System.Globalization;

namespace TakerVolume.Benchmarks;

/// <summary>What the harness runs.</summary>
internal enum BenchmarkMode
{
    /// <summary>Throughput, then latency, then memory.</summary>
    All,

    /// <summary>Trades/s of the taker-volume topology against the runtime's pass-through (and a plain loop) over the same input.</summary>
    Throughput,

    /// <summary>Exchange time → window update visible to a read_committed consumer, at a realistic rate and at peak, against the pass-through.</summary>
    Latency,

    /// <summary>State per symbol after 15+ minutes of stream time: managed heap, store entries, serialized bytes, changelog volume.</summary>
    Memory,
}

/// <summary>Command line of the Stopwatch modes; the defaults of <c>all</c> finish in a few minutes on 2 cores.</summary>
internal sealed record BenchmarkOptions
{
    public const string Usage =
        "Usage: dotnet run -c Release --project tests/TakerVolume.Benchmarks -- [all|throughput|latency|memory] [options, see README.md]\n"
        + "       dotnet run -c Release --project tests/TakerVolume.Benchmarks -- micro [BenchmarkDotNet arguments, e.g. --filter '*' --job short]\n"
        + "Options: --trades N --symbols N --zipf X --stream-rate X --duplicates X --rounds N --warmup-trades N --no-host --allocations --commit-interval-ms N\n"
        + "         --latency-rate X --peak-rate X --peak-fractions X,X --latency-seconds N --latency-warmup-seconds N\n"
        + "         --memory-symbols N,N --memory-hot N --busiest-rate X --memory-minutes N";

    public BenchmarkMode Mode { get; init; } = BenchmarkMode.All;

    /// <summary>Unique trades of the throughput input (copies come on top), produced once.</summary>
    public int Trades { get; init; } = 300_000;

    /// <summary>USDT symbols of the generated market (throughput and latency).</summary>
    public int Symbols { get; init; } = 200;

    /// <summary>Zipf exponent of the symbols' shares of the trades (1: the busiest carries 17 % of 200 symbols' trades).</summary>
    public double Zipf { get; init; } = 1.0;

    /// <summary>Trades per second of exchange time in the throughput input: with 200 symbols BTCUSDT trades 50/s, and 300 000 trades span 17 minutes.</summary>
    public double StreamRate { get; init; } = 294;

    /// <summary>Share of trades a redundant ingest pod publishes a second time.</summary>
    public double Duplicates { get; init; } = 0.015;

    /// <summary>Rounds of A, B, TV (in that order each round).</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Unique trades of the warm-up input (each pipeline drains it once before the rounds, not reported).</summary>
    public int WarmupTrades { get; init; } = 50_000;

    /// <summary>Whether the throughput mode also runs the processor as its program builds it, once, after the rounds.</summary>
    public bool Host { get; init; } = true;

    /// <summary>Samples allocations by type during the throughput windows (a GC event listener, which costs a little).</summary>
    public bool SampleAllocations { get; init; }

    /// <summary>The runtime's commit interval for every pipeline (and the baseline loop's): the runtime's default.</summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The realistic rate of the latency mode, trades per second across <see cref="Symbols"/>.</summary>
    public double LatencyRate { get; init; } = 2_000;

    /// <summary>A fixed peak rate for the latency mode, instead of <see cref="PeakFractions"/>; 0: none.</summary>
    public double PeakRate { get; init; }

    /// <summary>Higher rates of the latency mode, as fractions of the taker-volume throughput measured in this run (of 20 000/s without one).</summary>
    public IReadOnlyList<double> PeakFractions { get; init; } = [0.3, 0.8];

    /// <summary>Seconds measured per latency run, after <see cref="LatencyWarmupSeconds"/> not measured.</summary>
    public int LatencySeconds { get; init; } = 10;

    public int LatencyWarmupSeconds { get; init; } = 3;

    /// <summary>Symbol counts of the memory mode's Zipf markets.</summary>
    public IReadOnlyList<int> MemorySymbols { get; init; } = [100, 1_000];

    /// <summary>Symbols of the memory mode's market of busiest symbols only (each at <see cref="BusiestRate"/>).</summary>
    public int MemoryHot { get; init; } = 4;

    /// <summary>Trades per second of the busiest symbol in the memory mode (BTCUSDT's order of magnitude).</summary>
    public double BusiestRate { get; init; } = 50;

    /// <summary>Minutes of exchange time each memory market is fed (more than the 15-minute windows).</summary>
    public int MemoryMinutes { get; init; } = 16;

    /// <summary>Parses <paramref name="args"/> (without the <c>micro</c> mode); null (and <paramref name="error"/>) when they are wrong.</summary>
    public static BenchmarkOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var options = new BenchmarkOptions();
        error = null;
        var i = 0;
        if (args.Count > 0 && !args[0].StartsWith('-'))
        {
            if (!Enum.TryParse<BenchmarkMode>(args[0], ignoreCase: true, out var mode) || !Enum.IsDefined(mode) || args[0].Any(char.IsDigit))
            {
                error = $"Unknown mode {args[0]}";
                return null;
            }

            options = options with { Mode = mode };
            i = 1;
        }

        for (; i < args.Count; i++)
        {
            var name = args[i];
            switch (name)
            {
                case "-h" or "--help":
                    error = string.Empty;
                    return null;
                case "--no-host":
                    options = options with { Host = false };
                    continue;
                case "--allocations":
                    options = options with { SampleAllocations = true };
                    continue;
            }

            if (i + 1 >= args.Count)
            {
                error = $"{name} needs a value";
                return null;
            }

            var text = args[++i];
            var value = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : double.NaN;
            // A guard that fails (a bad value) falls through to null, like an unknown option.
            BenchmarkOptions? next = name switch
            {
                "--trades" when Positive(value) => options with { Trades = (int)value },
                "--symbols" when Positive(value) => options with { Symbols = (int)value },
                "--zipf" when value >= 0 => options with { Zipf = value },
                "--stream-rate" when Positive(value) => options with { StreamRate = value },
                "--duplicates" when value is >= 0 and < 1 => options with { Duplicates = value },
                "--rounds" when Positive(value) => options with { Rounds = (int)value },
                "--warmup-trades" when Positive(value) => options with { WarmupTrades = (int)value },
                "--commit-interval-ms" when Positive(value) => options with { CommitInterval = TimeSpan.FromMilliseconds(value) },
                "--latency-rate" when Positive(value) => options with { LatencyRate = value },
                "--peak-rate" when value >= 0 => options with { PeakRate = value },
                "--peak-fractions" when ParseFractions(text) is { } fractions => options with { PeakFractions = fractions },
                "--latency-seconds" when Positive(value) => options with { LatencySeconds = (int)value },
                "--latency-warmup-seconds" when value >= 0 => options with { LatencyWarmupSeconds = (int)value },
                "--memory-hot" when Positive(value) => options with { MemoryHot = (int)value },
                "--busiest-rate" when Positive(value) => options with { BusiestRate = value },
                "--memory-minutes" when Positive(value) => options with { MemoryMinutes = (int)value },
                "--memory-symbols" when ParseList(text) is { } list => options with { MemorySymbols = list },
                _ => null,
            };
            if (next is null)
            {
                error = $"Unknown option {name}, or a bad value for it: {text}";
                return null;
            }

            options = next;
        }

        return options;
    }

    private static bool Positive(double value) => value > 0;

    private static double[]? ParseFractions(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || values[i] <= 0)
            {
                return null;
            }
        }

        return values.Length > 0 ? values : null;
    }

    private static int[]? ParseList(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var values = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]) || values[i] <= 0)
            {
                return null;
            }
        }

        return values.Length > 0 ? values : null;
    }
}
