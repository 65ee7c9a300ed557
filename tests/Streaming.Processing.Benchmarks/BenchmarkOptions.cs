using System.Globalization;

namespace Streaming.Processing.Benchmarks;

/// <summary>What the harness runs.</summary>
internal enum BenchmarkMode
{
    /// <summary>Throughput, then restore.</summary>
    All,

    /// <summary>Plain consume→produce loop, pass-through topology, counting topology: records/s, CPU and allocations per record.</summary>
    Throughput,

    /// <summary>A new counting instance from a local snapshot and from the changelog alone.</summary>
    Restore,
}

/// <summary>Command line of the Stopwatch modes; the defaults finish in a few minutes on 2 cores.</summary>
internal sealed record BenchmarkOptions
{
    public const string Usage =
        "Usage: dotnet run -c Release --project tests/Streaming.Processing.Benchmarks -- [all|throughput|restore] "
        + "[--records N] [--keys N] [--rounds N] [--warmup-records N] [--allocations] [--restore-records N] [--restore-keys N] [--restore-rounds N]\n"
        + "       dotnet run -c Release --project tests/Streaming.Processing.Benchmarks -- micro [BenchmarkDotNet arguments, e.g. --filter '*' --job short]";

    public const int Partitions = 6;

    public BenchmarkMode Mode { get; init; } = BenchmarkMode.All;

    /// <summary>Input records every throughput run drains (the same pre-produced topic for all of them).</summary>
    public int Records { get; init; } = 500_000;

    /// <summary>Distinct keys of the throughput input.</summary>
    public int Keys { get; init; } = 1_000;

    /// <summary>Rounds of R (consume-only reference), A (baseline), B (pass-through), C (counting), in that order each round.</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Records of the warm-up round (each pipeline once, not reported) on a topic of its own.</summary>
    public int WarmupRecords { get; init; } = 100_000;

    /// <summary>Samples allocations by type during the throughput windows (a GC event listener, which costs a little).</summary>
    public bool SampleAllocations { get; init; }

    /// <summary>Input of the counting run that builds the changelog the restore mode restores.</summary>
    public int RestoreRecords { get; init; } = 600_000;

    /// <summary>Distinct keys of that input: the store's size, hence the snapshot's.</summary>
    public int RestoreKeys { get; init; } = 50_000;

    /// <summary>Rounds of (snapshot restore, changelog restore).</summary>
    public int RestoreRounds { get; init; } = 3;

    /// <summary>Parses <paramref name="args"/> (without the <c>micro</c> mode); null (and <paramref name="error"/>) when they are wrong.</summary>
    public static BenchmarkOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var options = new BenchmarkOptions();
        error = null;
        var i = 0;
        if (args.Count > 0 && !args[0].StartsWith('-'))
        {
            switch (args[0])
            {
                case "all":
                    break;
                case "throughput":
                    options = options with { Mode = BenchmarkMode.Throughput };
                    break;
                case "restore":
                    options = options with { Mode = BenchmarkMode.Restore };
                    break;
                default:
                    error = $"Unknown mode {args[0]}";
                    return null;
            }

            i = 1;
        }

        for (; i < args.Count; i++)
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

            if (i + 1 >= args.Count || !int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                error = $"{name} needs a positive integer";
                return null;
            }

            i++;
            switch (name)
            {
                case "--records":
                    options = options with { Records = value };
                    break;
                case "--keys":
                    options = options with { Keys = value };
                    break;
                case "--rounds":
                    options = options with { Rounds = value };
                    break;
                case "--warmup-records":
                    options = options with { WarmupRecords = value };
                    break;
                case "--restore-records":
                    options = options with { RestoreRecords = value };
                    break;
                case "--restore-keys":
                    options = options with { RestoreKeys = value };
                    break;
                case "--restore-rounds":
                    options = options with { RestoreRounds = value };
                    break;
                default:
                    error = $"Unknown option {name}";
                    return null;
            }
        }

        return options;
    }
}
