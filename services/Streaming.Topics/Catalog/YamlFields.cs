using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Streaming.Topics.Catalog;

/// <summary>
/// The fields of one YAML mapping, read strictly: keys outside the allowed set, values of the
/// wrong shape and missing required values are reported as problems instead of being skipped.
/// </summary>
internal sealed class YamlFields
{
    private readonly Dictionary<string, YamlNode> _values = new(StringComparer.Ordinal);
    private readonly string? _topic;
    private readonly string _fieldPrefix;
    private readonly ICollection<TopicCatalogProblem> _problems;

    public YamlFields(
        YamlMappingNode mapping,
        string? topic,
        string fieldPrefix,
        IReadOnlyCollection<string> allowedKeys,
        ICollection<TopicCatalogProblem> problems)
    {
        _topic = topic;
        _fieldPrefix = fieldPrefix;
        _problems = problems;
        Line = LineOf(mapping);
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                Report(keyNode, "(key)", "keys must be plain text");
            }
            else if (!allowedKeys.Contains(key))
            {
                Report(keyNode, key, $"unknown key (expected one of: {string.Join(", ", allowedKeys)})");
            }
            else
            {
                _values[key] = value;
            }
        }
    }

    /// <summary>The 1-based line the mapping starts on.</summary>
    public int Line { get; }

    public static int LineOf(YamlNode node) => checked((int)node.Start.Line);

    /// <summary>The raw node of a field, or null when absent or written as YAML null.</summary>
    public YamlNode? Node(string key) =>
        _values.TryGetValue(key, out var node) && !(node is YamlScalarNode scalar && IsNull(scalar)) ? node : null;

    public string? Text(string key, bool required)
    {
        switch (Node(key))
        {
            case null:
                ReportMissing(key, required);
                return null;
            case YamlScalarNode { Value: { } value } when !string.IsNullOrWhiteSpace(value):
                return value;
            case YamlScalarNode node:
                Report(node, key, "must not be empty");
                return null;
            case var node:
                Report(node, key, "must be a single value, not a list or mapping");
                return null;
        }
    }

    public long? Integer(string key, bool required)
    {
        var text = Text(key, required);
        if (text is null)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Report(_values[key], key, $"'{text}' is not an integer");
        return null;
    }

    /// <summary>A mapping of plain values, e.g. <c>configs:</c>; empty when absent.</summary>
    public IReadOnlyDictionary<string, string> TextMap(string key)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (Node(key))
        {
            case null:
                break;
            case YamlMappingNode mapping:
                foreach (var (keyNode, valueNode) in mapping.Children)
                {
                    if (keyNode is not YamlScalarNode { Value: { } name })
                    {
                        Report(keyNode, $"{key}.(key)", "keys must be plain text");
                    }
                    else if (valueNode is YamlScalarNode { Value: { } value } scalar && !IsNull(scalar))
                    {
                        map[name] = value;
                    }
                    else
                    {
                        Report(valueNode, $"{key}.{name}", "must be a single value (configs are strings, as Kafka names them)");
                    }
                }

                break;
            case var node:
                Report(node, key, "must be a mapping of config name to value");
                break;
        }

        return map;
    }

    public void Report(YamlNode node, string field, string message) =>
        _problems.Add(new TopicCatalogProblem(_topic, _fieldPrefix + field, message, LineOf(node)));

    private void ReportMissing(string key, bool required)
    {
        if (required)
        {
            _problems.Add(new TopicCatalogProblem(_topic, _fieldPrefix + key, "is required", Line));
        }
    }

    // YAML's core schema spells null these ways; only unquoted they mean "no value".
    private static bool IsNull(YamlScalarNode scalar) =>
        (scalar.Style is ScalarStyle.Plain or ScalarStyle.Any) && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
}
