using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;
using Streaming.Testing;

namespace Streaming.Kafka.Tests;

/// <summary>
/// Keys must land on the partitions Java clients and Kafka Streams would choose, so topics stay
/// co-partitioned whoever writes them. Checked against kafkajs, an implementation we did not write.
/// </summary>
public sealed class JavaPartitionerInteropTests(EmbeddedKafkaFixture kafka) : IClassFixture<EmbeddedKafkaFixture>
{
    private static readonly int[] PartitionCounts = [1, 7, 12, 50];

    [Fact]
    public async Task ProducedKeys_AnyPartitionCount_LandWhereKafkaJsJavaPartitionerPutsThem()
    {
        var keys = Keys();
        var expected = await KafkaJsPartitionsAsync(keys);

        using var producer = new ProducerBuilder<string, string>(kafka.ProducerConfig()).Build();
        foreach (var count in PartitionCounts)
        {
            var topic = kafka.CreateTopic($"partitioner-{count}", count);
            var deliveries = keys.Select(k => producer.ProduceAsync(topic, new Message<string, string> { Key = k, Value = "v" }, TestContext.Current.CancellationToken));
            var actual = (await Task.WhenAll(deliveries)).Select(r => r.Partition.Value).ToArray();

            var mismatches = keys.Where((_, i) => actual[i] != expected[count][i]).Take(5).ToList();
            Assert.True(mismatches.Count == 0, $"{count} partitions: keys placed differently from Java's partitioner: {string.Join(", ", mismatches)}");
        }
    }

    /// <summary>Real symbols plus generated keys of many lengths and scripts (fixed seed), to exercise murmur2's tail handling.</summary>
    private static List<string> Keys()
    {
        var keys = new List<string> { "BTCUSDT", "ETHUSDT", "BNBUSDT", "SOLUSDT", "XRPUSDT", "DOGEUSDT", "1000PEPEUSDT", "spot:BTCUSDT", "usdm:BTCUSDT" };
        var random = new Random(20261121);
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyz:-_/äß€币安";
        for (var i = 0; i < 500; i++)
        {
            var length = 1 + random.Next(40);
            keys.Add(new string(Enumerable.Range(0, length).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray()));
        }

        return keys;
    }

    private static async Task<Dictionary<int, int[]>> KafkaJsPartitionsAsync(List<string> keys)
    {
        var script = RepoPaths.Combine("tests", "interop", "java-partitioner.js");
        Assert.True(
            Directory.Exists(RepoPaths.Combine("tests", "interop", "node_modules", "kafkajs")),
            "kafkajs is not installed: run scripts/bootstrap.sh (the README's test command does)");

        var start = new ProcessStartInfo("node", [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        await node.StandardInput.WriteAsync(JsonSerializer.Serialize(new { partitionCounts = PartitionCounts, keys }));
        node.StandardInput.Close();
        var output = await node.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = await node.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await node.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(node.ExitCode == 0, $"node {script} failed: {errors}");

        return JsonSerializer.Deserialize<Dictionary<int, int[]>>(output)!;
    }
}
