using System.Collections.Immutable;

namespace Streaming.Topics.Catalog;

/// <summary>Turns written entries into <see cref="TopicSpec"/>s by applying the defaults.</summary>
internal static class CatalogResolver
{
    /// <summary>The spec of <paramref name="entry"/>, or null when a required field is missing (already reported).</summary>
    public static TopicSpec? Resolve(TopicEntry entry, CatalogDefaults defaults, ICollection<TopicCatalogProblem> problems)
    {
        var replicationFactor = entry.ReplicationFactor ?? defaults.ReplicationFactor;
        if (replicationFactor is null)
        {
            problems.Add(new TopicCatalogProblem(entry.Label, "replicationFactor", "is required: set it on the topic or in defaults", entry.Line));
        }

        if (entry is not
            {
                Name: { } name,
                Description: { } description,
                Owner: { } owner,
                Key: { } key,
                Value: { } value,
                Partitions: { } partitions,
            }
            || replicationFactor is not { } factor)
        {
            return null;
        }

        var configs = defaults.Configs.ToImmutableSortedDictionary(StringComparer.Ordinal).SetItems(entry.Configs);
        return new TopicSpec(name, description, owner, key, value, partitions, factor, configs, entry.Copartition);
    }
}
