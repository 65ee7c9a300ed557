using System.Globalization;
using System.Text;

namespace Streaming.Topics.Provisioning;

/// <summary>
/// Renders a plan as a diff for people: <c>+</c> create, <c>~</c> change, <c>-</c> remove,
/// <c>?</c> left alone, <c>!</c> needs a person.
/// </summary>
public static class PlanFormatter
{
    public static string Format(ProvisioningPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var text = new StringBuilder();
        foreach (var topic in plan.TopicsToCreate)
        {
            Line(text, $"+ topic {topic.Name} ({topic.Partitions} partitions, rf {topic.ReplicationFactor})");
            foreach (var (name, value) in topic.Configs)
            {
                Line(text, $"    {name}={value}");
            }
        }

        foreach (var change in plan.ConfigChanges)
        {
            Line(text, change.IsRemoval
                ? $"- topic {change.Topic}: {change.Name} {Describe(change.Current)} (not in the catalog; removed)"
                : $"~ topic {change.Topic}: {change.Name} {Describe(change.Current)} -> {change.Desired}");
        }

        foreach (var config in plan.UnmanagedConfigs)
        {
            Line(text, $"? topic {config.Topic}: {config.Name}={config.Value} is set on the cluster but not in the catalog (kept)");
        }

        foreach (var disagreement in plan.Disagreements)
        {
            Line(text, Describe(disagreement));
        }

        Line(text, FormatSummary(plan));
        return text.ToString();
    }

    /// <summary>The one-line summary that ends <see cref="Format"/>.</summary>

    private static string Describe(ObservedConfig? current) => current switch
    {
        null => "(unset)",
        { IsSetOnTopic: true } => current.Value ?? "(hidden)",
        _ => $"{current.Value ?? "(hidden)"} (inherited)",
    };

    private static string Describe(TopicDisagreement disagreement) => disagreement.Property switch
    {
        TopicProperty.Partitions => Invariant(
            $"! topic {disagreement.Topic}: partitions {disagreement.Cluster} (cluster) != {disagreement.Catalog} (catalog); ") +
            "changing the count remaps keys and breaks co-partitioning: recreate or migrate the topic by hand",
        _ => Invariant(
            $"! topic {disagreement.Topic}: replication factor {disagreement.Cluster} (cluster) != {disagreement.Catalog} (catalog); ") +
            "needs a partition reassignment (kafka-reassign-partitions) by hand",
    };

    public static string FormatSummary(ProvisioningPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.IsInSync)
        {
            var note = plan.UnmanagedConfigs.Count == 0
                ? ""
                : $"; {Count(plan.UnmanagedConfigs.Count, "unmanaged config", "unmanaged configs")} left alone";
            var topics = plan.TopicCount == 1 ? "1 topic matches" : Invariant($"{plan.TopicCount} topics match");
            return $"In sync: {topics} the catalog{note}.";
        }

        var parts = new[]
            {
                Count(plan.TopicsToCreate.Count, "topic to create", "topics to create"),
                Count(plan.ConfigChanges.Count, "config change", "config changes"),
                Count(plan.UnmanagedConfigs.Count, "unmanaged config", "unmanaged configs"),
                Count(plan.Disagreements.Count, "disagreement to resolve by hand", "disagreements to resolve by hand"),
            }
            .Where(part => part is not null);
        return $"Plan: {string.Join(", ", parts)}.";
    }

    private static string? Count(int count, string singular, string plural) => count switch
    {
        0 => null,
        1 => $"1 {singular}",
        _ => Invariant($"{count} {plural}"),
    };

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
