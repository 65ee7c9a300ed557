using System.Text;

namespace Streaming.Hosting.Metrics;

/// <summary>
/// Converts OpenTelemetry-style instrument names and units to Prometheus metric names, following
/// OpenTelemetry's Prometheus compatibility rules: <c>streaming.kafka.produce.duration</c> with
/// unit <c>s</c> becomes <c>streaming_kafka_produce_duration_seconds</c>, a counter gets
/// <c>_total</c>, <c>By</c> becomes <c>_bytes</c>, <c>{record}</c> annotations are dropped.
/// </summary>
internal static class PrometheusNaming
{
    private const string TotalSuffix = "total";

    public static string GetMetricName(string instrumentName, string? unit, InstrumentKind kind)
    {
        var name = Sanitize(instrumentName);
        var unitSuffix = unit is null ? string.Empty : Sanitize(ConvertUnit(unit)).Trim('_');
        if (unitSuffix.Length > 0 && !ContainsWords(name, unitSuffix))
        {
            name = Sanitize($"{name}_{unitSuffix}");
        }

        // A dimensionless gauge is a ratio (e.g. cache hit ratio); counts of things are not.
        if (kind == InstrumentKind.Gauge && unit == "1" && !ContainsWords(name, "ratio"))
        {
            name += "_ratio";
        }

        if (kind == InstrumentKind.Counter && !name.EndsWith("_" + TotalSuffix, StringComparison.Ordinal) && name != TotalSuffix)
        {
            name += "_" + TotalSuffix;
        }

        return name;
    }

    /// <summary>
    /// A valid label name: characters outside <c>[a-zA-Z0-9_]</c> become <c>_</c>, and a leading
    /// digit or the reserved leading <c>__</c> gets a <c>key_</c> prefix.
    /// </summary>
    public static string SanitizeLabelName(string key)
    {
        var builder = new StringBuilder(key.Length + 4);
        foreach (var c in key)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        if (builder.Length == 0 || char.IsAsciiDigit(builder[0]) || (builder.Length > 1 && builder[0] == '_' && builder[1] == '_'))
        {
            builder.Insert(0, "key_");
        }

        return builder.ToString();
    }

    /// <summary>
    /// Characters outside <c>[a-zA-Z0-9_]</c> become <c>_</c>, runs of <c>_</c> collapse to one,
    /// and a leading digit gets a <c>_</c> prefix. Colons are valid in Prometheus but reserved
    /// for recording rules, so they are replaced too.
    /// </summary>
    public static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length + 1);
        foreach (var c in name)
        {
            var valid = char.IsAsciiLetterOrDigit(c) ? c : '_';
            if (valid != '_' || builder.Length == 0 || builder[^1] != '_')
            {
                builder.Append(valid);
            }
        }

        if (builder.Length == 0 || char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }

    /// <summary>UCUM unit to Prometheus words: <c>ms</c> → <c>milliseconds</c>, <c>By/s</c> → <c>bytes_per_second</c>.</summary>
    public static string ConvertUnit(string unit)
    {
        var withoutAnnotations = RemoveAnnotations(unit).Trim();
        var slash = withoutAnnotations.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0 && slash < withoutAnnotations.Length - 1)
        {
            // "{packet}/s" has no unit left before the slash: a rate of a count.
            var unitPart = ConvertUnitWord(withoutAnnotations[..slash]);
            var perPart = ConvertPerUnitWord(withoutAnnotations[(slash + 1)..]);
            return unitPart.Length == 0 ? $"per_{perPart}" : $"{unitPart}_per_{perPart}";
        }

        return ConvertUnitWord(withoutAnnotations);
    }

    // "{record}", "{packet}/s": curly-brace annotations name what is counted, which Prometheus
    // conveys through the metric name; they are not units.
    private static string RemoveAnnotations(string unit)
    {
        var builder = new StringBuilder(unit.Length);
        var depth = 0;
        foreach (var c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string ConvertUnitWord(string unit) => unit switch
    {
        "d" => "days",
        "h" => "hours",
        "min" => "minutes",
        "s" => "seconds",
        "ms" => "milliseconds",
        "us" => "microseconds",
        "ns" => "nanoseconds",
        "By" => "bytes",
        "KiBy" => "kibibytes",
        "MiBy" => "mebibytes",
        "GiBy" => "gibibytes",
        "TiBy" => "tebibytes",
        "KBy" => "kilobytes",
        "MBy" => "megabytes",
        "GBy" => "gigabytes",
        "TBy" => "terabytes",
        "bit" => "bits",
        "m" => "meters",
        "V" => "volts",
        "A" => "amperes",
        "J" => "joules",
        "W" => "watts",
        "g" => "grams",
        "Cel" => "celsius",
        "Hz" => "hertz",
        "%" => "percent",
        "1" => string.Empty,
        _ => unit,
    };

    private static string ConvertPerUnitWord(string unit) => unit switch
    {
        "s" => "second",
        "m" => "minute",
        "h" => "hour",
        "d" => "day",
        "w" => "week",
        "mo" => "month",
        "y" => "year",
        _ => ConvertUnitWord(unit),
    };

    // Whole-word containment: "duration_seconds" contains "seconds", "x_milliseconds" does not.
    private static bool ContainsWords(string name, string words) =>
        $"_{name}_".Contains($"_{words}_", StringComparison.Ordinal);
}
