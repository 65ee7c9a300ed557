using System.Globalization;

namespace ExchangeSimulator.Benchmarks;

/// <summary>Command line of the harness; every value has a default that finishes in about a minute on 2 cores.</summary>
internal sealed record BenchmarkOptions
{
    public const string Usage =
        "Usage: dotnet run -c Release --project tests/ExchangeSimulator.Benchmarks -- "
        + "[--seconds N] [--symbols N] [--connections N] [--warmup N] [--trades-per-second N] [--generation-trades-per-second N]";

    /// <summary>Measurement window of the end-to-end and baseline runs, in wall-clock seconds.</summary>
    public int Seconds { get; init; } = 10;

    /// <summary>Warm-up before each window (not measured), in wall-clock seconds.</summary>
    public int WarmupSeconds { get; init; } = 2;

    /// <summary>USDT symbols of the simulated spot market.</summary>
    public int Symbols { get; init; } = 400;

    /// <summary>WebSocket connections; each holds at most 1024 streams (aggTrade + depth@100ms of its share of the symbols).</summary>
    public int Connections { get; init; } = 2;

    /// <summary>
    /// Market rate of the end-to-end run and of the in-process stages: trades per simulated second in the normal
    /// regime. 20 000 gives the mix of the assumed real peak (mostly aggTrade, about 10 depth diffs per symbol and second at most).
    /// </summary>
    public double TradesPerSecond { get; init; } = 20_000;

    /// <summary>Market rate of the generation-only row (the brief's "high" rate).</summary>
    public double GenerationTradesPerSecond { get; init; } = 200_000;

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
                case "--connections":
                    options = options with { Connections = (int)value };
                    break;
                case "--trades-per-second":
                    options = options with { TradesPerSecond = value };
                    break;
                case "--generation-trades-per-second":
                    options = options with { GenerationTradesPerSecond = value };
                    break;
                default:
                    error = $"Unknown option {name}";
                    return null;
            }
        }

        if (options.Seconds < 1 || options.WarmupSeconds < 1 || options.Symbols < 1 || options.Connections < 1)
        {
            error = "--seconds, --warmup, --symbols and --connections must be at least 1";
            return null;
        }

        if (options.Connections > options.Symbols)
        {
            error = "--connections cannot exceed --symbols";
            return null;
        }

        var streamsPerConnection = 2 * (int)Math.Ceiling(options.Symbols / (double)options.Connections);
        if (streamsPerConnection > MaxStreamsPerConnection)
        {
            error = $"{options.Symbols} symbols over {options.Connections} connection(s) need {streamsPerConnection} streams per connection; "
                + $"Binance allows {MaxStreamsPerConnection}: use more connections";
            return null;
        }

        return options;
    }

    /// <summary>Binance's (and the simulator's) limit of streams per connection.</summary>
    public const int MaxStreamsPerConnection = 1024;
}
