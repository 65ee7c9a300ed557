using System.Globalization;

namespace Streaming.Topics.Catalog;

/// <summary>The rules a catalog must satisfy before any topic is created from it.</summary>
internal static class CatalogRules
{
    // Kafka's own limit (Topic.MAX_NAME_LENGTH): longer names cannot be created.
    private const int MaxNameLength = 249;

    public static void CheckConfigs(string topic, IReadOnlyDictionary<string, string> configs, int? line, ICollection<TopicCatalogProblem> problems)
    {
        foreach (var (name, value) in configs)
        {
            var problem = KafkaTopicConfigs.IsKnown(name)
                ? KafkaTopicConfigs.ProblemWith(name, value)
                : "is not a Kafka topic config (a typo?)";
            if (problem is not null)
            {
                problems.Add(new TopicCatalogProblem(topic, "configs." + name, problem, line));
            }
        }
    }

    public static void CheckTopic(TopicSpec spec, int line, ICollection<TopicCatalogProblem> problems)
    {
        if (ProblemWithName(spec.Name) is { } nameProblem)
        {
            problems.Add(new TopicCatalogProblem(spec.Name, "name", nameProblem, line));
        }

        if (spec.Partitions < 1)
        {
            problems.Add(new TopicCatalogProblem(spec.Name, "partitions", Invariant($"must be at least 1 (was {spec.Partitions})"), line));
        }

        if (spec.ReplicationFactor < 1)
        {
            problems.Add(new TopicCatalogProblem(
                spec.Name, "replicationFactor", Invariant($"must be at least 1 (was {spec.ReplicationFactor})"), line));
        }

        // Compared only with a valid factor: with an invalid one the factor is the problem to report.
        if (spec.ReplicationFactor >= 1
            && spec.Configs.TryGetValue(TopicConfigNames.MinInsyncReplicas, out var text)
            && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var minInsync)
            && minInsync > spec.ReplicationFactor)
        {
            problems.Add(new TopicCatalogProblem(
                spec.Name,
                "configs." + TopicConfigNames.MinInsyncReplicas,
                Invariant($"{minInsync} exceeds the replication factor {spec.ReplicationFactor}: every acks=all write would fail"),
                line));
        }
    }

    /// <summary>
    /// Names must be unique, also after Kafka's metric-name mapping of '.' to '_': Kafka refuses to
    /// create a topic whose name collides that way with an existing one.
    /// </summary>
    public static void CheckUniqueNames(IReadOnlyList<(TopicSpec Spec, int Line)> topics, ICollection<TopicCatalogProblem> problems)
    {
        var seen = new Dictionary<string, (string Name, int Line)>(StringComparer.Ordinal);
        foreach (var (spec, line) in topics)
        {
            var metricName = spec.Name.Replace('.', '_');
            if (!seen.TryGetValue(metricName, out var first))
            {
                seen.Add(metricName, (spec.Name, line));
                continue;
            }

            var message = first.Name == spec.Name
                ? Invariant($"is declared twice (first at line {first.Line})")
                : Invariant($"collides with '{first.Name}' (line {first.Line}): Kafka treats '.' and '_' alike in metric names and refuses the second");
            problems.Add(new TopicCatalogProblem(spec.Name, "name", message, line));
        }
    }

    /// <summary>Every topic of a co-partition group needs the partition count of the group's first topic.</summary>
    public static void CheckCopartitionGroups(IReadOnlyList<(TopicSpec Spec, int Line)> topics, ICollection<TopicCatalogProblem> problems)
    {
        var firstOfGroup = new Dictionary<string, TopicSpec>(StringComparer.Ordinal);
        foreach (var (spec, line) in topics)
        {
            if (spec.CopartitionGroup is not { } group)
            {
                continue;
            }

            if (!firstOfGroup.TryGetValue(group, out var first))
            {
                firstOfGroup.Add(group, spec);
            }
            else if (first.Partitions != spec.Partitions)
            {
                problems.Add(new TopicCatalogProblem(
                    spec.Name,
                    "partitions",
                    Invariant($"{spec.Partitions} differs from {first.Partitions} of '{first.Name}' in copartition group '{group}'; co-partitioned topics need equal counts"),
                    line));
            }
        }
    }

    private static string? ProblemWithName(string name)
    {
        if (name is "." or "..")
        {
            return "'.' and '..' are not allowed as topic names";
        }

        if (name.Length > MaxNameLength)
        {
            return Invariant($"is {name.Length} characters long; Kafka allows at most {MaxNameLength}");
        }

        var illegal = name.Where(c => !IsLegal(c)).Distinct().ToArray();
        return illegal.Length == 0
            ? null
            : $"contains {string.Join(", ", illegal.Select(c => $"'{c}'"))}; legal characters are a-z, A-Z, 0-9, '.', '_' and '-'";
    }

    private static bool IsLegal(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
