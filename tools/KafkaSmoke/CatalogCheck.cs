using Confluent.Kafka;
using Streaming.Topics;

namespace KafkaSmoke;

/// <summary>Compares the cluster's topics with the catalog: every topic present, with the catalog's partition count.</summary>
internal static class CatalogCheck
{
    public static IReadOnlyList<string> Problems(IAdminClient admin, TopicCatalog catalog, TimeSpan timeout)
    {
        var metadata = admin.GetMetadata(timeout);
        var partitions = metadata.Topics
            .Where(t => t.Error.Code == ErrorCode.NoError)
            .ToDictionary(t => t.Topic, t => t.Partitions.Count, StringComparer.Ordinal);

        var problems = new List<string>();
        foreach (var spec in catalog.Topics)
        {
            if (!partitions.TryGetValue(spec.Name, out var actual))
            {
                problems.Add($"{spec.Name}: missing");
            }
            else if (actual != spec.Partitions)
            {
                problems.Add($"{spec.Name}: {actual} partitions, catalog says {spec.Partitions}");
            }
        }

        return problems;
    }
}
