using System.Globalization;

namespace TakerVolumeView;

/// <summary>
/// The processor's feed-health counters, summed over every label set and every endpoint that answered. A counter is
/// exported from its first increment on, so one the processor's endpoints did not show yet is 0; it is null only when
/// no endpoint of the processor answered (<see cref="Errors"/> names the endpoints that failed).
/// </summary>
internal sealed record MetricsSnapshot(
    double? Duplicates,
    double? Accepted,
    double? Late,
    double? GapsReported,
    IReadOnlyList<string> Errors,
    DateTimeOffset ScrapedAt);

/// <summary>Scrapes the processor's Prometheus endpoints; failures are reported in the snapshot, never thrown.</summary>
internal sealed class MetricsScraper(HttpClient http, IReadOnlyList<Uri> urls, TimeProvider time)
{
    public const string Duplicates = "taker_volume_trades_duplicates_total";
    public const string Accepted = "taker_volume_trades_accepted_total";
    public const string Late = "taker_volume_trades_late_total";
    public const string GapsReported = "taker_volume_gaps_reported_total";

    /// <summary>An observable gauge the processor exports at every scrape: its presence tells the processor's endpoint.</summary>
    public const string EventTimeLag = "taker_volume_event_time_lag_seconds";

    public static IReadOnlyList<string> Names { get; } = [Duplicates, Accepted, Late, GapsReported, EventTimeLag];

    /// <summary>How long one endpoint may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (not a timeout).</exception>
    public async Task<MetricsSnapshot> ScrapeAsync(CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(urls.Select(url => ScrapeOneAsync(url, cancellationToken)));
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var (url, samples, error) in results)
        {
            if (error is not null)
            {
                errors.Add($"{url}: {error}");
                continue;
            }

            foreach (var (name, value) in samples!)
            {
                sums[name] = sums.GetValueOrDefault(name) + value;
            }
        }

        var processorAnswered = sums.ContainsKey(EventTimeLag);
        return new MetricsSnapshot(
            Sum(Duplicates),
            Sum(Accepted),
            Sum(Late),
            Sum(GapsReported),
            errors,
            time.GetUtcNow());

        double? Sum(string name) => sums.TryGetValue(name, out var value) ? value : processorAnswered ? 0 : null;
    }

    /// <summary>
    /// Sums the samples of <paramref name="names"/> in Prometheus text exposition format: lines <c>name{labels} value</c>
    /// or <c>name value</c>, an optional timestamp after the value; <c>#</c> lines and other metrics are ignored, and
    /// so are samples whose value is not a finite number.
    /// </summary>
    public static Dictionary<string, double> Parse(string text, IReadOnlyCollection<string> names)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(names);
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var nameEnd = line.AsSpan().IndexOfAny('{', ' ', '\t');
            if (nameEnd <= 0)
            {
                continue;
            }

            var name = line[..nameEnd];
            if (!names.Contains(name))
            {
                continue;
            }

            var rest = nameEnd;
            if (line[nameEnd] == '{')
            {
                rest = EndOfLabels(line, nameEnd);
                if (rest < 0)
                {
                    continue;
                }
            }

            var fields = line[rest..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0
                || !double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                || !double.IsFinite(value))
            {
                continue;
            }

            sums[name] = sums.GetValueOrDefault(name) + value;
        }

        return sums;
    }

    /// <summary>The index after the '}' closing the label set opened at <paramref name="open"/>; quoted values may hold '}' and escapes.</summary>
    private static int EndOfLabels(string line, int open)
    {
        var quoted = false;
        for (var i = open + 1; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == '}')
            {
                return i + 1;
            }
        }

        return -1;
    }

    private async Task<(Uri Url, Dictionary<string, double>? Samples, string? Error)> ScrapeOneAsync(Uri url, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var response = await http.GetAsync(url, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return (url, null, string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}"));
            }

            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            return (url, Parse(text, Names.ToHashSet(StringComparer.Ordinal)), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (url, null, string.Create(CultureInfo.InvariantCulture, $"no answer within {Timeout.TotalSeconds:0.#} s"));
        }
        catch (HttpRequestException e)
        {
            return (url, null, e.Message);
        }
    }
}
