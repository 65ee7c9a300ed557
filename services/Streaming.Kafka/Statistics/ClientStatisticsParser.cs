using System.Globalization;
using System.Text.Json;

namespace Streaming.Kafka.Statistics;

/// <summary>
/// Reads librdkafka's statistics JSON. Reports arrive every few seconds per client, so a
/// JsonDocument is cheap enough; unknown or missing fields read as zero rather than failing.
/// </summary>
internal static class ClientStatisticsParser
{
    public static ClientStatistics Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new ClientStatistics(
            Name: String(root, "name"),
            Type: String(root, "type"),
            QueuedMessages: Int64(root, "msg_cnt"),
            QueuedBytes: Int64(root, "msg_size"),
            SentMessages: Int64(root, "txmsgs"),
            SentBytes: Int64(root, "tx_bytes"),
            ReceivedMessages: Int64(root, "rxmsgs"),
            ReceivedBytes: Int64(root, "rx_bytes"),
            Rebalances: root.TryGetProperty("cgrp", out var group) ? Int64(group, "rebalance_cnt") : 0,
            Brokers: Brokers(root),
            Lags: Lags(root));
    }

    private static List<BrokerStatistics> Brokers(JsonElement root)
    {
        var brokers = new List<BrokerStatistics>();
        if (!root.TryGetProperty("brokers", out var all) || all.ValueKind != JsonValueKind.Object)
        {
            return brokers;
        }

        foreach (var broker in all.EnumerateObject())
        {
            // Bootstrap pseudo-brokers (nodeid -1) are not real cluster members.
            if (Int64(broker.Value, "nodeid") < 0)
            {
                continue;
            }

            var rtt = broker.Value.TryGetProperty("rtt", out var r) ? r : default;
            brokers.Add(new BrokerStatistics(
                broker.Name,
                String(broker.Value, "state") == "UP",
                rtt.ValueKind == JsonValueKind.Object ? Int64(rtt, "avg") : 0,
                rtt.ValueKind == JsonValueKind.Object ? Int64(rtt, "p99") : 0));
        }

        return brokers;
    }

    private static List<PartitionLag> Lags(JsonElement root)
    {
        var lags = new List<PartitionLag>();
        if (!root.TryGetProperty("topics", out var topics) || topics.ValueKind != JsonValueKind.Object)
        {
            return lags;
        }

        foreach (var topic in topics.EnumerateObject())
        {
            if (!topic.Value.TryGetProperty("partitions", out var partitions))
            {
                continue;
            }

            foreach (var partition in partitions.EnumerateObject())
            {
                // Partition -1 is librdkafka's internal unassigned queue; lag -1 means unknown or not consumed.
                var id = int.Parse(partition.Name, CultureInfo.InvariantCulture);
                var lag = Int64(partition.Value, "consumer_lag");
                if (id >= 0 && lag >= 0)
                {
                    lags.Add(new PartitionLag(topic.Name, id, lag));
                }
            }
        }

        return lags;
    }

    private static string String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? string.Empty : string.Empty;

    private static long Int64(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : 0;
}
