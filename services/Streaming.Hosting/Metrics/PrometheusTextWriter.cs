using System.Globalization;
using System.Text;

namespace Streaming.Hosting.Metrics;

/// <summary>
/// Writes the Prometheus text exposition format, version 0.0.4: <c># HELP</c> and <c># TYPE</c>
/// lines, then one <c>name{labels} value</c> line per sample, without timestamps.
/// </summary>
internal sealed class PrometheusTextWriter(StringBuilder output)
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public void WriteHeader(string name, string help, string type)
    {
        output.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
        output.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    public void WriteSample(string name, string labels, long value) =>
        AppendNameAndLabels(name, labels).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');

    public void WriteSample(string name, string labels, double value) =>
        AppendNameAndLabels(name, labels).Append(' ').Append(FormatDouble(value)).Append('\n');

    public void WriteBucket(string name, string labels, double upperBound, long cumulativeCount)
    {
        output.Append(name).Append("_bucket{").Append(labels);
        if (labels.Length > 0)
        {
            output.Append(',');
        }

        output.Append("le=\"").Append(FormatDouble(upperBound)).Append("\"} ")
            .Append(cumulativeCount.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    /// <summary>
    /// Renders tags as the inside of a label set: <c>key="value",...</c>. Tags whose keys
    /// sanitize to the same label name are merged, their values joined with <c>;</c> in key
    /// order (as OpenTelemetry specifies), because a repeated label name is invalid.
    /// </summary>
    public static string FormatLabels(IReadOnlyList<KeyValuePair<string, object?>> tags)
    {
        if (tags.Count == 0)
        {
            return string.Empty;
        }

        var labels = tags
            .OrderBy(t => t.Key, StringComparer.Ordinal)
            .GroupBy(t => PrometheusNaming.SanitizeLabelName(t.Key), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key}=\"{EscapeLabelValue(string.Join(';', g.Select(t => FormatLabelValue(t.Value))))}\"");
        return string.Join(',', labels);
    }

    /// <summary>Label values escape backslash, double quote and line feed.</summary>
    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Help text escapes backslash and line feed (quotes are allowed there).</summary>
    public static string EscapeHelp(string help) =>
        help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Shortest round-trip form; Go's ParseFloat spellings for the special values.</summary>
    public static string FormatDouble(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string FormatLabelValue(object? value) => value switch
    {
        null => string.Empty,
        bool b => b ? "true" : "false",
        double d => FormatDouble(d),
        float f => FormatDouble(f),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private StringBuilder AppendNameAndLabels(string name, string labels) =>
        labels.Length == 0 ? output.Append(name) : output.Append(name).Append('{').Append(labels).Append('}');
}
