using System.Globalization;

namespace Ingest.Tests.Memory;

/// <summary>
/// One read of a pod's <c>/metrics</c> (Prometheus text format), reduced to what the memory test needs: the sum of a
/// family's samples, optionally only those whose labels contain a given <c>name="value"</c>. (The strict parser lives
/// with the exporter's own tests; this one only has to read numbers the exporter wrote.)
/// </summary>
internal sealed class MetricsScrape
{
    private readonly List<(string Family, string Labels, double Value)> _samples = [];

    private MetricsScrape()
    {
    }

    public static MetricsScrape Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var scrape = new MetricsScrape();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var nameEnd = line.IndexOfAny(['{', ' ']);
            var valueStart = line.LastIndexOf(' ');
            if (nameEnd <= 0 || valueStart < nameEnd)
            {
                continue;
            }

            var labels = line[nameEnd] == '{' ? line[(nameEnd + 1)..line.LastIndexOf('}')] : "";
            scrape._samples.Add((line[..nameEnd], labels, double.Parse(line[(valueStart + 1)..], CultureInfo.InvariantCulture)));
        }

        return scrape;
    }

    /// <summary>The sum of every sample of <paramref name="family"/> (0 when absent, as a counter not yet incremented).</summary>
    public double Sum(string family, string? label = null) =>
        _samples.Where(s => s.Family == family && (label is null || s.Labels.Contains(label, StringComparison.Ordinal))).Sum(s => s.Value);
}
