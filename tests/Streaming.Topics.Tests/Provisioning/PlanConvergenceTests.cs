using System.Globalization;
using Streaming.Topics.Provisioning;
using Streaming.Topics.Tests.Support;
using static Streaming.Topics.Tests.Support.CatalogYaml;

namespace Streaming.Topics.Tests.Provisioning;

/// <summary>
/// Property: for random catalogs and random cluster states, applying a plan leaves a cluster whose
/// next plan has nothing to apply, while disagreements (and kept unmanaged configs) persist as they were.
/// </summary>
public sealed class PlanConvergenceTests
{
    private const int Cases = 300;

    private static readonly string[] _retentions = ["86400000", "604800000", "2592000000", "-1"];
    private static readonly string[] _cleanupPolicies = ["delete", "compact", "compact,delete", "delete,compact"];
    private static readonly string[] _unmanagedNames = ["flush.ms", "preallocate", "segment.bytes"];

    [Fact]
    public async Task Plan_AfterApplyingPlan_OnlyDisagreementsAndKeptConfigsRemain()
    {
        var random = new Random(20_240_615);
        for (var i = 0; i < Cases; i++)
        {
            var catalog = CatalogOf(RandomTopics(random));
            var cluster = RandomCluster(random, catalog);
            var policy = random.Next(2) == 0 ? UnmanagedConfigPolicy.Keep : UnmanagedConfigPolicy.Remove;
            var names = catalog.Topics.Select(topic => topic.Name).ToList();

            var first = ProvisioningPlanner.Plan(catalog, await cluster.DescribeAsync(names, CancellationToken.None), policy);
            await cluster.CreateTopicsAsync(first.TopicsToCreate, CancellationToken.None);
            await cluster.ApplyConfigChangesAsync(first.ConfigChanges, CancellationToken.None);
            var second = ProvisioningPlanner.Plan(catalog, await cluster.DescribeAsync(names, CancellationToken.None), policy);

            var context = $"case {i}:\n{PlanFormatter.Format(first)}---\n{PlanFormatter.Format(second)}";
            Assert.False(second.HasChanges, context);
            Assert.Equal(first.Disagreements, second.Disagreements);
            Assert.Equal(first.UnmanagedConfigs, second.UnmanagedConfigs);
            Assert.True(policy == UnmanagedConfigPolicy.Keep || second.UnmanagedConfigs.Count == 0, context);
        }
    }

    private static List<TopicSpec> RandomTopics(Random random) =>
        Enumerable.Range(0, random.Next(1, 8))
            .Select(index =>
            {
                var replicationFactor = (short)random.Next(1, 4);
                var configs = new List<(string, string)>();
                Maybe(random, () => configs.Add(("retention.ms", Pick(random, _retentions))));
                Maybe(random, () => configs.Add(("cleanup.policy", Pick(random, _cleanupPolicies))));
                Maybe(random, () => configs.Add(("min.insync.replicas", Number(random.Next(1, replicationFactor + 1)))));
                Maybe(random, () => configs.Add(("compression.type", Pick(random, ["zstd", "lz4", "producer"]))));
                return Spec($"t{index}.topic", random.Next(1, 13), replicationFactor, [.. configs]);
            })
            .ToList();

    private static ScriptedClusterAdmin RandomCluster(Random random, TopicCatalog catalog)
    {
        var cluster = new ScriptedClusterAdmin();
        cluster.Add("not.in.catalog", 3, 3, ("retention.ms", "1"));
        foreach (var spec in catalog.Topics.Where(_ => random.Next(4) > 0))
        {
            var partitions = random.Next(3) == 0 ? random.Next(1, 13) : spec.Partitions;
            var replicationFactor = random.Next(3) == 0 ? (short)random.Next(1, 4) : spec.ReplicationFactor;
            var topic = cluster.Add(spec.Name, partitions, replicationFactor);
            foreach (var (name, value) in spec.Configs)
            {
                // Set as in the catalog, set differently, or not set (inheriting the broker's value).
                switch (random.Next(3))
                {
                    case 0:
                        topic.ConfigsSetOnTopic[name] = value;
                        break;
                    case 1:
                        topic.ConfigsSetOnTopic[name] = name == "retention.ms" ? Pick(random, _retentions) : cluster.BrokerDefaults[name];
                        break;
                }
            }

            Maybe(random, () => topic.ConfigsSetOnTopic[Pick(random, _unmanagedNames)] = Number(random.Next(1, 100)));
        }

        return cluster;
    }

    private static void Maybe(Random random, Action action)
    {
        if (random.Next(2) == 0)
        {
            action();
        }
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
