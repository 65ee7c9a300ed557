using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Streaming.Hosting.Tests.Infrastructure;

/// <summary>
/// A strict parser of the Prometheus text exposition format 0.0.4, so that tests assert on
/// parsed values and a malformed exposition fails whichever test scraped it. Beyond the line
/// grammar it checks the structure Prometheus relies on: one TYPE/HELP per family, before its
/// samples; a family's samples contiguous; no duplicate series; histogram buckets cumulative,
/// ending in +Inf, which equals _count.
/// </summary>
internal sealed partial class PrometheusExposition
{
    private static readonly HashSet<string> Types = ["counter", "gauge", "histogram", "summary", "untyped"];
    private static readonly string[] HistogramSuffixes = ["_bucket", "_sum", "_count"];

    private readonly Dictionary<string, MetricFamily> _families;

    private PrometheusExposition(Dictionary<string, MetricFamily> families) => _families = families;

    public IReadOnlyDictionary<string, MetricFamily> Families => _families;

    public MetricFamily this[string name] =>
        _families.TryGetValue(name, out var family)
            ? family
            : throw new KeyNotFoundException($"No metric family '{name}'; families: {string.Join(", ", _families.Keys)}");

    public static PrometheusExposition Parse(string text)
    {
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("The exposition does not end with a line feed.");
        }

        var families = new Dictionary<string, MetricFamily>(StringComparer.Ordinal);
        MetricFamily? current = null;
        var lines = text.Length == 0 ? [] : text[..^1].Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            try
            {
                if (line.StartsWith('#'))
                {
                    ParseComment(line, families, ref current);
                }
                else
                {
                    var sample = ParseSample(line);
                    FamilyOf(sample, families, ref current).Samples.Add(sample);
                }
            }
            catch (FormatException exception)
            {
                throw new FormatException($"Line {i + 1} '{line}': {exception.Message}", exception);
            }
        }

        foreach (var family in families.Values)
        {
            family.Validate();
        }

        return new PrometheusExposition(families);
    }

    private static void ParseComment(string line, Dictionary<string, MetricFamily> families, ref MetricFamily? current)
    {
        var match = MetadataLine().Match(line);
        if (!match.Success)
        {
            if (line.StartsWith("# HELP", StringComparison.Ordinal) || line.StartsWith("# TYPE", StringComparison.Ordinal))
            {
                throw new FormatException("Malformed HELP or TYPE line.");
            }

            return; // A plain comment.
        }

        var family = Enter(match.Groups["name"].Value, families, ref current);
        if (family.Samples.Count > 0)
        {
            throw new FormatException("Metadata after the family's samples.");
        }

        var text = match.Groups["text"].Value;
        if (match.Groups["kind"].Value == "HELP")
        {
            family.Help = family.Help is null ? UnescapeHelp(text) : throw new FormatException("A second HELP line.");
        }
        else
        {
            family.Type = family.Type is not null ? throw new FormatException("A second TYPE line.")
                : Types.Contains(text) ? text : throw new FormatException($"Unknown type '{text}'.");
        }
    }

    private static MetricFamily FamilyOf(Sample sample, Dictionary<string, MetricFamily> families, ref MetricFamily? current)
    {
        if (current is { Type: "histogram" or "summary" } family
            && HistogramSuffixes.Any(suffix => sample.Name == family.Name + suffix))
        {
            return family;
        }

        return Enter(sample.Name, families, ref current);
    }

    // A family's lines must be contiguous: re-entering one already left is an error.
    private static MetricFamily Enter(string name, Dictionary<string, MetricFamily> families, ref MetricFamily? current)
    {
        if (current?.Name == name)
        {
            return current;
        }

        if (families.ContainsKey(name))
        {
            throw new FormatException($"Family '{name}' appears again after other families.");
        }

        current = new MetricFamily(name);
        families.Add(name, current);
        return current;
    }

    private static Sample ParseSample(string line)
    {
        var nameMatch = MetricNameAtStart().Match(line);
        if (!nameMatch.Success)
        {
            throw new FormatException("Invalid metric name.");
        }

        var position = nameMatch.Length;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (position < line.Length && line[position] == '{')
        {
            position = ParseLabels(line, position + 1, labels);
        }

        if (position >= line.Length || line[position] != ' ')
        {
            throw new FormatException("Expected a space before the value.");
        }

        var parts = line[(position + 1)..].Split(' ');
        if (parts.Length > 2 || (parts.Length == 2 && !Timestamp().IsMatch(parts[1])))
        {
            throw new FormatException("Expected a value and an optional integer timestamp.");
        }

        return new Sample(nameMatch.Value, labels, ParseValue(parts[0]));
    }

    // Returns the position after the closing brace.
    private static int ParseLabels(string line, int position, Dictionary<string, string> labels)
    {
        if (position < line.Length && line[position] == '}')
        {
            return position + 1;
        }

        while (true)
        {
            var nameMatch = LabelNameAtStart().Match(line[position..]);
            if (!nameMatch.Success || nameMatch.Value.StartsWith("__", StringComparison.Ordinal))
            {
                throw new FormatException($"Invalid label name at column {position + 1}.");
            }

            position += nameMatch.Length;
            if (!line[position..].StartsWith("=\"", StringComparison.Ordinal))
            {
                throw new FormatException($"Expected =\" after label '{nameMatch.Value}'.");
            }

            position += 2;
            var value = new StringBuilder();
            while (true)
            {
                if (position >= line.Length)
                {
                    throw new FormatException("Unterminated label value.");
                }

                var c = line[position++];
                if (c == '"')
                {
                    break;
                }

                if (c == '\\')
                {
                    value.Append(position < line.Length ? line[position++] switch
                    {
                        '\\' => '\\',
                        '"' => '"',
                        'n' => '\n',
                        var other => throw new FormatException($"Invalid escape '\\{other}' in a label value."),
                    } : throw new FormatException("Dangling backslash in a label value."));
                }
                else
                {
                    value.Append(c);
                }
            }

            if (!labels.TryAdd(nameMatch.Value, value.ToString()))
            {
                throw new FormatException($"Label '{nameMatch.Value}' repeated.");
            }

            var separator = position < line.Length ? line[position++] : '\0';
            if (separator == '}')
            {
                return position;
            }

            if (separator != ',')
            {
                throw new FormatException("Expected , or } after a label value.");
            }
        }
    }

    private static double ParseValue(string text) =>
        !FloatValue().IsMatch(text) ? throw new FormatException($"Invalid value '{text}'.")
        : text switch
        {
            "+Inf" or "Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        };

    private static string UnescapeHelp(string text)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                builder.Append(text[i]);
                continue;
            }

            builder.Append(++i < text.Length ? text[i] switch
            {
                '\\' => '\\',
                'n' => '\n',
                var other => throw new FormatException($"Invalid escape '\\{other}' in HELP."),
            } : throw new FormatException("Dangling backslash in HELP."));
        }

        return builder.ToString();
    }

    [GeneratedRegex(@"^# (?<kind>HELP|TYPE) (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) (?<text>.*)$")]
    private static partial Regex MetadataLine();

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex MetricNameAtStart();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*")]
    private static partial Regex LabelNameAtStart();

    [GeneratedRegex(@"^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?Inf|NaN)$")]
    private static partial Regex FloatValue();

    [GeneratedRegex(@"^-?\d+$")]
    private static partial Regex Timestamp();
}
