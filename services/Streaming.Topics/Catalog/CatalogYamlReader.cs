using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Streaming.Topics.Catalog;

/// <summary>
/// Reads the catalog's YAML into a <see cref="CatalogDocument"/>. Walks the YAML tree by hand
/// rather than deserializing, so that every unknown key and badly shaped value is reported with
/// its topic, field and line, all of them at once.
/// </summary>
internal static class CatalogYamlReader
{
    private static readonly string[] _rootKeys = ["defaults", "topics"];
    private static readonly string[] _defaultsKeys = ["replicationFactor", "configs"];

    private static readonly string[] _topicKeys =
        ["name", "description", "owner", "key", "value", "partitions", "replicationFactor", "copartition", "configs"];

    /// <summary>The document, or null when it is not even shaped like a catalog (problems say why).</summary>
    public static CatalogDocument? Read(string yaml, ICollection<TopicCatalogProblem> problems)
    {
        if (LoadRoot(yaml, problems) is not { } root)
        {
            return null;
        }

        var fields = new YamlFields(root, topic: null, fieldPrefix: "", _rootKeys, problems);
        var defaults = fields.Node("defaults") is { } defaultsNode ? ReadDefaults(defaultsNode, problems) : CatalogDefaults.None;
        switch (fields.Node("topics"))
        {
            case YamlSequenceNode topics:
                return new CatalogDocument(defaults, ReadTopics(topics, problems));
            case null:
                problems.Add(new TopicCatalogProblem(null, "topics", "is required: the list of topics", fields.Line));
                return null;
            case var other:
                fields.Report(other, "topics", "must be a list of topics");
                return null;
        }
    }

    private static YamlMappingNode? LoadRoot(string yaml, ICollection<TopicCatalogProblem> problems)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            var reason = e.InnerException is { } inner ? $"{SyntaxMessage(e)} ({inner.Message})" : SyntaxMessage(e);
            problems.Add(new TopicCatalogProblem(null, "(yaml)", reason, checked((int)e.Start.Line)));
            return null;
        }

        if (stream.Documents is [{ RootNode: YamlMappingNode root }])
        {
            return root;
        }

        problems.Add(new TopicCatalogProblem(null, "(document)", "must be one YAML mapping with 'defaults' and 'topics'", null));
        return null;
    }

    // YamlException prefixes its message with the positions, which the problem already carries.
    private static string SyntaxMessage(YamlException e)
    {
        var message = e.Message;
        var end = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line", StringComparison.Ordinal) && end >= 0 ? message[(end + 3)..] : message;
    }

    private static CatalogDefaults ReadDefaults(YamlNode node, ICollection<TopicCatalogProblem> problems)
    {
        if (node is not YamlMappingNode mapping)
        {
            problems.Add(new TopicCatalogProblem("defaults", "(defaults)", "must be a mapping", YamlFields.LineOf(node)));
            return CatalogDefaults.None;
        }

        var fields = new YamlFields(mapping, "defaults", "", _defaultsKeys, problems);
        return new CatalogDefaults(
            ReplicationFactor(fields),
            fields.TextMap("configs"),
            fields.Line);
    }

    private static List<TopicEntry> ReadTopics(YamlSequenceNode topics, ICollection<TopicCatalogProblem> problems)
    {
        var entries = new List<TopicEntry>();
        for (var index = 0; index < topics.Children.Count; index++)
        {
            if (ReadTopic(topics.Children[index], index, problems) is { } entry)
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    private static TopicEntry? ReadTopic(YamlNode node, int index, ICollection<TopicCatalogProblem> problems)
    {
        var position = string.Create(CultureInfo.InvariantCulture, $"topics[{index}]");
        if (node is not YamlMappingNode mapping)
        {
            problems.Add(new TopicCatalogProblem(position, "(entry)", "must be a mapping of topic fields", YamlFields.LineOf(node)));
            return null;
        }

        // The name comes first: every other problem of the entry is reported against it.
        var label = mapping.Children.FirstOrDefault(child => child.Key is YamlScalarNode { Value: "name" }).Value
            is YamlScalarNode { Value: { Length: > 0 } name }
                ? name
                : position;
        var fields = new YamlFields(mapping, label, "", _topicKeys, problems);
        return new TopicEntry(
            label,
            fields.Line,
            fields.Text("name", required: true),
            fields.Text("description", required: true),
            fields.Text("owner", required: true),
            fields.Text("key", required: true),
            fields.Text("value", required: true),
            Partitions(fields),
            ReplicationFactor(fields),
            fields.TextMap("configs"),
            fields.Text("copartition", required: false));
    }

    private static int? Partitions(YamlFields fields) => fields.Integer("partitions", required: true) switch
    {
        null => null,
        > int.MaxValue or < int.MinValue => Invalid<int>(fields, "partitions", "is far beyond any partition count Kafka allows"),
        var value => (int)value,
    };

    private static short? ReplicationFactor(YamlFields fields) => fields.Integer("replicationFactor", required: false) switch
    {
        null => null,
        > short.MaxValue or < short.MinValue => Invalid<short>(fields, "replicationFactor", "is far beyond any replica count Kafka allows"),
        var value => (short)value,
    };

    private static T? Invalid<T>(YamlFields fields, string field, string message)
        where T : struct
    {
        fields.Report(fields.Node(field)!, field, message);
        return null;
    }
}
