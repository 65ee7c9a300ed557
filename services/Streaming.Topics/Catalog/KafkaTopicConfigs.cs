using System.Collections.Frozen;
using System.Globalization;

namespace Streaming.Topics.Catalog;

/// <summary>
/// The topic-level configs Kafka accepts (Apache Kafka 3.x/4.x, TopicConfig), with the shape of
/// their values. A name missing here is rejected as a typo; add it here if Kafka gains a config.
/// </summary>
internal static class KafkaTopicConfigs
{
    private static readonly FrozenSet<string> _compressionTypes =
        FrozenSet.Create(StringComparer.Ordinal, "uncompressed", "zstd", "lz4", "snappy", "gzip", "producer");

    private static readonly FrozenSet<string> _cleanupPolicies = FrozenSet.Create(StringComparer.Ordinal, "compact", "delete");

    private static readonly FrozenSet<string> _timestampTypes = FrozenSet.Create(StringComparer.Ordinal, "CreateTime", "LogAppendTime");

    private static readonly FrozenDictionary<string, ConfigValueKind> _kinds = new Dictionary<string, ConfigValueKind>(StringComparer.Ordinal)
    {
        [TopicConfigNames.CleanupPolicy] = ConfigValueKind.CleanupPolicyList,
        ["compression.type"] = ConfigValueKind.CompressionType,
        ["compression.gzip.level"] = ConfigValueKind.Integer,
        ["compression.lz4.level"] = ConfigValueKind.Integer,
        ["compression.zstd.level"] = ConfigValueKind.Integer,
        ["delete.retention.ms"] = ConfigValueKind.Integer,
        ["file.delete.delay.ms"] = ConfigValueKind.Integer,
        ["flush.messages"] = ConfigValueKind.Integer,
        ["flush.ms"] = ConfigValueKind.Integer,
        ["follower.replication.throttled.replicas"] = ConfigValueKind.Text,
        ["index.interval.bytes"] = ConfigValueKind.Integer,
        ["leader.replication.throttled.replicas"] = ConfigValueKind.Text,
        ["local.retention.bytes"] = ConfigValueKind.Integer,
        ["local.retention.ms"] = ConfigValueKind.Integer,
        ["max.compaction.lag.ms"] = ConfigValueKind.Integer,
        ["max.message.bytes"] = ConfigValueKind.Integer,
        ["message.downconversion.enable"] = ConfigValueKind.Boolean,
        ["message.format.version"] = ConfigValueKind.Text,
        ["message.timestamp.after.max.ms"] = ConfigValueKind.Integer,
        ["message.timestamp.before.max.ms"] = ConfigValueKind.Integer,
        ["message.timestamp.difference.max.ms"] = ConfigValueKind.Integer,
        ["message.timestamp.type"] = ConfigValueKind.TimestampType,
        ["min.cleanable.dirty.ratio"] = ConfigValueKind.Ratio,
        ["min.compaction.lag.ms"] = ConfigValueKind.Integer,
        [TopicConfigNames.MinInsyncReplicas] = ConfigValueKind.Integer,
        ["preallocate"] = ConfigValueKind.Boolean,
        ["remote.log.copy.disable"] = ConfigValueKind.Boolean,
        ["remote.log.delete.on.disable"] = ConfigValueKind.Boolean,
        ["remote.storage.enable"] = ConfigValueKind.Boolean,
        ["retention.bytes"] = ConfigValueKind.Integer,
        ["retention.ms"] = ConfigValueKind.Integer,
        ["segment.bytes"] = ConfigValueKind.Integer,
        ["segment.index.bytes"] = ConfigValueKind.Integer,
        ["segment.jitter.ms"] = ConfigValueKind.Integer,
        ["segment.ms"] = ConfigValueKind.Integer,
        ["unclean.leader.election.enable"] = ConfigValueKind.Boolean,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static bool IsKnown(string name) => _kinds.ContainsKey(name);

    /// <summary>Why <paramref name="value"/> is not valid for config <paramref name="name"/>; null when it is.</summary>
    public static string? ProblemWith(string name, string value) => _kinds.GetValueOrDefault(name) switch
    {
        ConfigValueKind.Integer when !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) =>
            $"'{value}' is not an integer",
        ConfigValueKind.Ratio when !IsRatio(value) => $"'{value}' is not a number between 0 and 1",
        ConfigValueKind.Boolean when value is not ("true" or "false") => $"'{value}' is not true or false",
        ConfigValueKind.CompressionType when !_compressionTypes.Contains(value) =>
            $"'{value}' is not one of {string.Join(", ", _compressionTypes.Order(StringComparer.Ordinal))}",
        ConfigValueKind.TimestampType when !_timestampTypes.Contains(value) => $"'{value}' is not CreateTime or LogAppendTime",
        ConfigValueKind.CleanupPolicyList when !IsCleanupPolicy(value) =>
            $"'{value}' is not a cleanup policy (delete, compact, or both as 'compact,delete')",
        _ => null,
    };

    /// <summary>
    /// Whether two values mean the same to Kafka. cleanup.policy is a list whose order carries no
    /// meaning; a broker may echo 'delete,compact' for 'compact,delete'.
    /// </summary>
    public static bool AreEquivalent(string name, string? left, string? right)
    {
        if (left is null || right is null)
        {
            return left == right;
        }

        return _kinds.GetValueOrDefault(name) == ConfigValueKind.CleanupPolicyList
            ? ListItems(left).SetEquals(ListItems(right))
            : string.Equals(left.Trim(), right.Trim(), StringComparison.Ordinal);
    }

    private static bool IsRatio(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) && ratio is >= 0 and <= 1;

    private static bool IsCleanupPolicy(string value)
    {
        var items = value.Split(',', StringSplitOptions.TrimEntries);
        return items.All(_cleanupPolicies.Contains) && items.Distinct(StringComparer.Ordinal).Count() == items.Length;
    }

    private static HashSet<string> ListItems(string value) =>
        value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    private enum ConfigValueKind
    {
        Text,
        Integer,
        Ratio,
        Boolean,
        CompressionType,
        TimestampType,
        CleanupPolicyList,
    }
}
