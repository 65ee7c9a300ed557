using System.Globalization;
using System.Text.RegularExpressions;
using BinanceRecordings;
using ExchangeSimulator.Market;
using ExchangeSimulator.Rest;

namespace ExchangeSimulator.Replay;

/// <summary>
/// Recognises each file of a replay by its name, and by its first line where names are ambiguous (any <c>.gz</c>,
/// CSV files not named the Binance way), and adds the REST companion of each cryptofeed WebSocket capture.
/// </summary>
internal static partial class RecordingFileClassifier
{
    /// <summary>What an unrecognised file is told it could have been.</summary>
    public const string AcceptedKinds =
        "data.binance.vision aggTrades CSV (<SYMBOL>-aggTrades-<date>.csv[.gz]), data.binance.vision klines CSV (<SYMBOL>-<interval>-<date>.csv[.gz]), "
        + "JSON lines of stream payloads (*.jsonl[.gz]), cryptofeed captures (BINANCE*.ws.* with BINANCE*.http.*), "
        + "hftbacktest captures (*.gz of '<receive ns> <JSON>' lines); other CSV names need ReplayOptions.Symbol";

    // Intervals a klines CSV named otherwise may have, recognised from close_time - open_time.
    private static readonly string[] IntervalNames = ["1s", "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d"];

    public static async Task<IReadOnlyList<RecordingFile>> ClassifyAsync(ReplayOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Files);
        if (options.Files.Count == 0)
        {
            throw new ArgumentException("ReplayOptions.Files is empty: nothing to replay.", nameof(options));
        }

        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in options.Files)
        {
            if (!listed.Add(Path.GetFullPath(path)))
            {
                throw new ArgumentException($"{path} is listed twice: its events would be replayed twice.", nameof(options));
            }
        }

        var files = new List<RecordingFile>();
        foreach (var path in options.Files)
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"Recording {path} does not exist.", path);
            }

            var file = await ClassifyAsync(path, files.Count, options.Symbol, cancellationToken);
            files.Add(file);
            if (file.Kind == RecordingFileKind.CryptofeedWebSocket)
            {
                foreach (var companion in Companions(path).Where(c => !listed.Contains(Path.GetFullPath(c))))
                {
                    files.Add(new RecordingFile(files.Count, companion, RecordingFileKind.CryptofeedRest));
                }
            }
        }

        return files;
    }

    private static async Task<RecordingFile> ClassifyAsync(string path, int index, string? symbolOption, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(path);
        if (AggTradesCsvName().Match(name) is { Success: true } aggTrades)
        {
            return new RecordingFile(index, path, RecordingFileKind.AggTradesCsv, aggTrades.Groups["symbol"].Value.ToUpperInvariant());
        }

        if (KlinesCsvName().Match(name) is { Success: true } klines)
        {
            var intervalName = klines.Groups["interval"].Value;
            return RestRules.TryParseInterval(intervalName, out var interval)
                ? new RecordingFile(index, path, RecordingFileKind.KlinesCsv, klines.Groups["symbol"].Value.ToUpperInvariant(), interval)
                : throw new ArgumentException($"{path}: klines of interval {intervalName} are not served (only epoch-aligned intervals 1s..1d).", nameof(path));
        }

        if (name.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".jsonl.gz", StringComparison.OrdinalIgnoreCase))
        {
            return new RecordingFile(index, path, RecordingFileKind.JsonLines);
        }

        if (CryptofeedName().Match(name) is { Success: true } cryptofeed)
        {
            var kind = cryptofeed.Groups["kind"].Value == "ws" ? RecordingFileKind.CryptofeedWebSocket : RecordingFileKind.CryptofeedRest;
            return new RecordingFile(index, path, kind);
        }

        if (name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase))
        {
            return await ClassifyCsvByContentAsync(path, index, symbolOption, cancellationToken);
        }

        if (name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) && await IsHftBacktestCaptureAsync(path, cancellationToken))
        {
            return new RecordingFile(index, path, RecordingFileKind.HftBacktest);
        }

        throw Unrecognised(path);
    }

    /// <summary>hftbacktest's names say nothing (<c>btcusdt_20240808.gz</c>): its first line does, <c>&lt;receive ns&gt; {…</c>.</summary>
    private static async Task<bool> IsHftBacktestCaptureAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await RecordingFileStreams.ReadFirstLineAsync(path, cancellationToken) is { } firstLine && HftBacktestLine().IsMatch(firstLine);
        }
        catch (InvalidDataException)
        {
            // Not gzip at all: not a capture either.
            return false;
        }
    }

    /// <summary>A CSV not named the Binance way: the symbol comes from the options, the kind from the column count (8 aggTrades, 12 klines).</summary>
    private static async Task<RecordingFile> ClassifyCsvByContentAsync(string path, int index, string? symbolOption, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(symbolOption))
        {
            throw new ArgumentException($"{path}: a CSV file whose name does not follow data.binance.vision's names no symbol; set ReplayOptions.Symbol. Accepted: {AcceptedKinds}.", nameof(path));
        }

        var row = await RecordingFileStreams.ReadFirstDataRowAsync(path, cancellationToken) ?? throw Unrecognised(path);
        var columns = row.Split(',');
        var symbol = symbolOption.ToUpperInvariant();
        return columns.Length switch
        {
            8 => new RecordingFile(index, path, RecordingFileKind.AggTradesCsv, symbol),
            12 => new RecordingFile(index, path, RecordingFileKind.KlinesCsv, symbol, IntervalOfRow(path, columns)),
            _ => throw Unrecognised(path),
        };
    }

    /// <summary>The interval whose length is close_time − open_time + one time unit.</summary>
    private static KlineInterval IntervalOfRow(string path, string[] columns)
    {
        if (long.TryParse(columns[0], NumberStyles.None, CultureInfo.InvariantCulture, out var open)
            && long.TryParse(columns[6], NumberStyles.None, CultureInfo.InvariantCulture, out var close))
        {
            var openUs = TimestampUnits.ToMicroseconds(open, TimestampUnit.Detect, out var unit);
            var closeUs = TimestampUnits.ToMicroseconds(close, unit, out _);
            var lengthUs = closeUs - openUs + (unit == TimestampUnit.Microseconds ? 1 : 1000);
            foreach (var name in IntervalNames)
            {
                if (RestRules.TryParseInterval(name, out var interval) && interval.LengthUs == lengthUs)
                {
                    return interval;
                }
            }
        }

        throw new ArgumentException($"{path}: the first row's open_time and close_time match no kline interval (1s..1d).", nameof(path));
    }

    /// <summary>cryptofeed's REST captures of the same session: same folder, same prefix (<c>BINANCE_FUTURES.ws.5.0</c> ↔ <c>BINANCE_FUTURES.http.4.0</c>).</summary>
    private static IEnumerable<string> Companions(string webSocketPath)
    {
        var name = Path.GetFileName(webSocketPath);
        var prefix = name[..name.IndexOf(".ws.", StringComparison.Ordinal)] + ".http.";
        var folder = Path.GetDirectoryName(webSocketPath);
        var directory = string.IsNullOrEmpty(folder) ? "." : folder;
        return Directory.EnumerateFiles(directory, prefix + "*")
            .Where(p => Path.GetFileName(p).StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
    }

    private static ArgumentException Unrecognised(string path) =>
        new($"{path}: not a recording the replay reads. Accepted: {AcceptedKinds}.", nameof(path));

    [GeneratedRegex(@"^(?<symbol>[A-Za-z0-9]+)-aggTrades-\d{4}-\d{2}(-\d{2})?\.csv(\.gz)?$")]
    private static partial Regex AggTradesCsvName();

    [GeneratedRegex(@"^(?<symbol>[A-Za-z0-9]+)-(?<interval>\d+[smhdwM])-\d{4}-\d{2}(-\d{2})?\.csv(\.gz)?$")]
    private static partial Regex KlinesCsvName();

    [GeneratedRegex(@"^BINANCE[A-Z_]*\.(?<kind>ws|http)\.")]
    private static partial Regex CryptofeedName();

    [GeneratedRegex(@"^\d+ \{")]
    private static partial Regex HftBacktestLine();
}
