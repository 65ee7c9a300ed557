using System.Globalization;
using Streaming.Contracts.Common.V1;

namespace TakerVolumeView;

/// <summary>The view's settings, parsed by hand from the command line (no System.CommandLine in this NuGet copy).</summary>
internal sealed record ViewOptions
{
    public const int ExitUsage = 64;

    public const string Usage = """
        TakerVolumeView: a live terminal view of the taker-volume pipeline, read from Kafka.

        usage: TakerVolumeView --bootstrap-servers HOST:PORT[,...] [options]

          --bootstrap-servers X   Kafka bootstrap servers (required, or --bootstrap-file)
          --bootstrap-file FILE   read the bootstrap servers from FILE (e.g. .local/devkafka/bootstrap.servers)
          --market spot|usdm      which market's topics to read (default spot)
          --metrics-url URL       the processor's Prometheus endpoint; repeatable, values are summed
          --top N                 symbols in the table, by current window quote volume (default 15)
          --alerts N              large-trade alerts shown, newest first (default 8)
          --refresh D             redraw interval on a terminal (default 1s)
          --print-every D         plain-text frame interval when output is redirected (default 10s)
          --duration D            exit 0 after D (e.g. 00:01:30, 90s, 2m)
          --summary-json FILE     write the model as JSON at exit
          --help                  this text

        Durations: hh:mm:ss, or a number with ms, s, m or h (a bare number is seconds).
        Exit codes: 0 done (duration, Ctrl-C or SIGTERM), 64 bad arguments, 1 start-up failure.

        """;

    public required string BootstrapServers { get; init; }

    public Market Market { get; init; } = Market.Spot;

    /// <summary>The market's segment in topic names: spot or usdm.</summary>
    public string MarketName => MarketNames.Of(Market);

    public IReadOnlyList<Uri> MetricsUrls { get; init; } = [];

    public int Top { get; init; } = 15;

    public int Alerts { get; init; } = 8;

    public TimeSpan Refresh { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan PrintEvery { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan? Duration { get; init; }

    public string? SummaryJson { get; init; }

    /// <summary>Parses <paramref name="args"/>; errors name the argument at fault.</summary>
    public static ViewOptionsResult Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? servers = null, bootstrapFile = null, summary = null;
        var market = Market.Spot;
        var urls = new List<Uri>();
        int top = 15, alerts = 8;
        TimeSpan refresh = TimeSpan.FromSeconds(1), printEvery = TimeSpan.FromSeconds(10);
        TimeSpan? duration = null;

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h" or "-?")
            {
                return ViewOptionsResult.ForHelp();
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                return ViewOptionsResult.Failed($"unexpected argument '{arg}' (options start with --)");
            }

            // --name=value or --name value.
            string name;
            string? inline = null;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                name = arg[..equals];
                inline = arg[(equals + 1)..];
            }
            else
            {
                name = arg;
            }

            if (!IsKnown(name))
            {
                return ViewOptionsResult.Failed($"unknown argument '{name}'");
            }

            string value;
            if (inline is not null)
            {
                value = inline;
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }
            else
            {
                return ViewOptionsResult.Failed($"{name} needs a value");
            }

            string? error = null;
            switch (name)
            {
                case "--bootstrap-servers":
                    servers = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
                    error = servers is null ? "--bootstrap-servers must not be empty" : null;
                    break;
                case "--bootstrap-file":
                    bootstrapFile = value;
                    break;
                case "--market":
                    error = MarketNames.TryParse(value, out market) ? null : $"--market must be spot or usdm, not '{value}'";
                    break;
                case "--metrics-url":
                    if (Uri.TryCreate(value, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
                    {
                        urls.Add(url);
                    }
                    else
                    {
                        error = $"--metrics-url must be an absolute http(s) URL, not '{value}'";
                    }

                    break;
                case "--top":
                    error = TryParseCount(name, value, 1, 1000, out top);
                    break;
                case "--alerts":
                    error = TryParseCount(name, value, 0, 100, out alerts);
                    break;
                case "--refresh":
                    error = TryParseDuration(name, value, TimeSpan.FromMilliseconds(50), TimeSpan.FromHours(1), out refresh);
                    break;
                case "--print-every":
                    error = TryParseDuration(name, value, TimeSpan.FromMilliseconds(50), TimeSpan.FromDays(1), out printEvery);
                    break;
                case "--duration":
                    error = TryParseDuration(name, value, TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(365), out var d);
                    duration = d;
                    break;
                case "--summary-json":
                    summary = string.IsNullOrWhiteSpace(value) ? null : value;
                    error = summary is null ? "--summary-json needs a file name" : null;
                    break;
            }

            if (error is not null)
            {
                return ViewOptionsResult.Failed(error);
            }
        }

        if (servers is not null && bootstrapFile is not null)
        {
            return ViewOptionsResult.Failed("--bootstrap-servers and --bootstrap-file: give one, not both");
        }

        if (bootstrapFile is not null)
        {
            try
            {
                servers = File.ReadAllText(bootstrapFile).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                return ViewOptionsResult.Failed($"--bootstrap-file '{bootstrapFile}' cannot be read: {e.Message}");
            }

            if (servers.Length == 0)
            {
                return ViewOptionsResult.Failed($"--bootstrap-file '{bootstrapFile}' is empty");
            }
        }

        if (servers is null)
        {
            return ViewOptionsResult.Failed("--bootstrap-servers is required (or --bootstrap-file FILE)");
        }

        return ViewOptionsResult.Parsed(new ViewOptions
        {
            BootstrapServers = servers,
            Market = market,
            MetricsUrls = urls,
            Top = top,
            Alerts = alerts,
            Refresh = refresh,
            PrintEvery = printEvery,
            Duration = duration,
            SummaryJson = summary,
        });
    }

    /// <summary>hh:mm:ss (TimeSpan's invariant form) or a number with a unit: ms, s, m, h; a bare number is seconds.</summary>
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = default;
        text = text.Trim();
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
        }

        (string number, double unitMs) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (text[..^2], 1d),
            _ when text.EndsWith('s') || text.EndsWith('S') => (text[..^1], 1000d),
            _ when text.EndsWith('m') || text.EndsWith('M') => (text[..^1], 60_000d),
            _ when text.EndsWith('h') || text.EndsWith('H') => (text[..^1], 3_600_000d),
            _ => (text, 1000d),
        };
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || double.IsInfinity(amount * unitMs))
        {
            return false;
        }

        value = TimeSpan.FromMilliseconds(amount * unitMs);
        return true;
    }

    private static bool IsKnown(string name) => name is "--bootstrap-servers" or "--bootstrap-file" or "--market" or "--metrics-url"
        or "--top" or "--alerts" or "--refresh" or "--print-every" or "--duration" or "--summary-json";

    private static string? TryParseCount(string name, string text, int min, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max
            ? null
            : $"{name} must be a whole number from {min} to {max}, not '{text}'";

    private static string? TryParseDuration(string name, string text, TimeSpan min, TimeSpan max, out TimeSpan value) =>
        TryParseDuration(text, out value) && value >= min && value <= max
            ? null
            : $"{name} must be a duration from {Describe(min)} to {Describe(max)} (e.g. 00:01:30, 90s, 500ms), not '{text}'";

    private static string Describe(TimeSpan value) => value.TotalSeconds < 1
        ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:0}ms")
        : value.ToString("c", CultureInfo.InvariantCulture);
}

/// <summary>The outcome of <see cref="ViewOptions.Parse"/>: options, a request for help, or an error naming the argument.</summary>
internal sealed record ViewOptionsResult(ViewOptions? Options, bool Help, string? Error)
{
    public static ViewOptionsResult Parsed(ViewOptions options) => new(options, false, null);

    public static ViewOptionsResult ForHelp() => new(null, true, null);

    public static ViewOptionsResult Failed(string error) => new(null, false, error);
}

/// <summary>The market's name in topic names and on the command line.</summary>
internal static class MarketNames
{
    public static string Of(Market market) => market == Market.UsdmFutures ? "usdm" : "spot";

    public static bool TryParse(string text, out Market market)
    {
        market = text?.Trim().ToUpperInvariant() switch
        {
            "SPOT" => Market.Spot,
            "USDM" => Market.UsdmFutures,
            _ => Market.Unspecified,
        };
        return market != Market.Unspecified;
    }
}
