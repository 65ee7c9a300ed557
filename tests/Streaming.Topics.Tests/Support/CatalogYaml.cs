using System.Text;

namespace Streaming.Topics.Tests.Support;

/// <summary>Catalog YAML for tests: small valid documents to break one rule at a time, and specs written out.</summary>
internal static class CatalogYaml
{
    /// <summary>A topic entry with every required field; <paramref name="extraLines"/> are appended inside it.</summary>
    public static string Topic(string name, int partitions = 12, params string[] extraLines)
    {
        var text = new StringBuilder()
            .AppendLine($"  - name: {name}")
            .AppendLine("    description: test topic")
            .AppendLine("    owner: tests")
            .AppendLine("    key: symbol")
            .AppendLine("    value: test.v1.Value")
            .AppendLine($"    partitions: {partitions}");
        foreach (var line in extraLines)
        {
            text.AppendLine("    " + line);
        }

        return text.ToString();
    }

    /// <summary>A document with the usual defaults (rf 3, min.insync.replicas 2) and the given topic entries.</summary>
    public static string Document(params string[] topics) => WithDefaults(
        """
        defaults:
          replicationFactor: 3
          configs:
            min.insync.replicas: "2"
        """,
        topics);

    public static string WithDefaults(string defaults, params string[] topics) =>
        defaults + "\ntopics:\n" + string.Concat(topics);

    public static TopicCatalog Parse(string yaml) => TopicCatalog.Parse(yaml, "test.yaml");

    /// <summary>A catalog holding exactly <paramref name="topics"/> (no defaults), through the real parser.</summary>
    public static TopicCatalog CatalogOf(IEnumerable<TopicSpec> topics)
    {
        var text = new StringBuilder("topics:\n");
        foreach (var topic in topics)
        {
            var lines = new List<string> { $"replicationFactor: {topic.ReplicationFactor}" };
            if (topic.Configs.Count > 0)
            {
                lines.Add("configs:");
                lines.AddRange(topic.Configs.Select(config => $"  {config.Key}: \"{config.Value}\""));
            }

            text.Append(Topic(topic.Name, topic.Partitions, [.. lines]));
        }

        return Parse(text.ToString());
    }

    public static TopicSpec Spec(string name, int partitions = 12, short replicationFactor = 3, params (string Name, string Value)[] configs) =>
        new(name, "test topic", "tests", "symbol", "test.v1.Value", partitions, replicationFactor,
            configs.ToDictionary(config => config.Name, config => config.Value, StringComparer.Ordinal), CopartitionGroup: null);
}
