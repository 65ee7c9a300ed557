using System.Globalization;

namespace Ingest.Benchmarks;

/// <summary>Command line of the harness; the defaults finish in about a minute and a half on 2 cores.</summary>
internal sealed record BenchmarkOptions
{
    public const string Usage =
        "Usage: dotnet run -c Release --project tests/Ingest.Benchmarks -- "
        + "[--seconds N] [--warmup N] [--symbols N] [--speed X] [--trades-per-second N] [--max-streams-per-connection N] [--allocations]";

    /// <summary>Measurement window of each row, in wall-clock seconds.</summary>
    public int Seconds { get; init; } = 10;

    /// <summary>Warm-up before each window (not measured), in wall-clock seconds.</summary>
    public int WarmupSeconds { get; init; } = 3;

    /// <summary>USDT symbols of the simulated spot market; the pod takes them all (one pod).</summary>
    public int Symbols { get; init; } = 100;

    /// <summary>
    /// Simulated seconds per wall-clock second of row 3 (the simulator's clock, open loop); null takes
    /// <see cref="ClockShareOfSustained"/> of the speed row 2 sustained.
    /// </summary>
    public double? Speed { get; init; }

    /// <summary>Market rate: trades per simulated second in the normal regime (bursts are ×6).</summary>
    public double TradesPerSecond { get; init; } = 20_000;

    /// <summary>The pod's <c>Ingest:MaxStreamsPerConnection</c> (its default), also used to split the baseline's streams.</summary>
    public int MaxStreamsPerConnection { get; init; } = 200;

    /// <summary>Samples allocations by type during the pod rows (a GC event listener, which costs a little).</summary>
    public bool SampleAllocations { get; init; }

    /// <summary>Row 3's default clock speed as a share of what row 2 sustained.</summary>
    public const double ClockShareOfSustained = 0.75;

    /// <summary>Parses <paramref name="args"/>; null (and <paramref name="error"/>) when they are wrong.</summary>
    public static BenchmarkOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var options = new BenchmarkOptions();
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                error = string.Empty;
                return null;
            }

            if (name == "--allocations")
            {
                options = options with { SampleAllocations = true };
                continue;
            }

            if (i + 1 >= args.Count || !double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                error = $"{name} needs a positive number";
                return null;
            }

            i++;
            switch (name)
            {
                case "--seconds":
                    options = options with { Seconds = (int)value };
                    break;
                case "--warmup":
                    options = options with { WarmupSeconds = (int)value };
                    break;
                case "--symbols":
                    options = options with { Symbols = (int)value };
                    break;
                case "--speed":
                    options = options with { Speed = value };
                    break;
                case "--trades-per-second":
                    options = options with { TradesPerSecond = value };
                    break;
                case "--max-streams-per-connection":
                    options = options with { MaxStreamsPerConnection = (int)value };
                    break;
                default:
                    error = $"Unknown option {name}";
                    return null;
            }
        }

        if (options.Seconds < 1 || options.WarmupSeconds < 1 || options.Symbols < 1)
        {
            error = "--seconds, --warmup and --symbols must be at least 1";
            return null;
        }

        if (options.MaxStreamsPerConnection is < StreamsPerSymbol or > 1024)
        {
            error = $"--max-streams-per-connection must be between {StreamsPerSymbol} and 1024 (the pod's validation range, and a symbol's streams stay together)";
            return null;
        }

        return options;
    }

    /// <summary>aggTrade, kline_15m and depth@100ms: what the pod subscribes per Spot symbol by default.</summary>
    public const int StreamsPerSymbol = 3;

    /// <summary>The streams of <paramref name="symbols"/> in the pod's order (Ingest's <c>StreamFamily.StreamsOf</c> for Spot).</summary>
    public static List<string> StreamsOf(IEnumerable<string> symbols)
    {
        var streams = new List<string>();
        foreach (var symbol in symbols)
        {
            var lower = symbol.ToLowerInvariant();
            streams.Add(lower + "@aggTrade");
            streams.Add(lower + "@kline_15m");
            streams.Add(lower + "@depth@100ms");
        }

        return streams;
    }
}
