namespace Streaming.Topics.Catalog;

/// <summary>Kafka topic config names the catalog's own rules refer to.</summary>
internal static class TopicConfigNames
{
    public const string CleanupPolicy = "cleanup.policy";
    public const string MinInsyncReplicas = "min.insync.replicas";
}
