using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Streaming.Kafka;
using Streaming.Topics;

namespace KafkaSmoke;

/// <summary>Runs the checks once, prints the report, and stops the application: a failure faults the worker, which makes the exit code non-zero.</summary>
internal sealed class SmokeWorker(KafkaClientFactory clients, IOptions<SmokeOptions> options, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting (and log that it did) before the report is printed.
        await Task.Yield();
        var smoke = options.Value;
        Console.WriteLine($"Kafka smoke test against {clients.Options.BootstrapServers}");

        using (var admin = clients.CreateAdminClientBuilder("kafka-smoke-admin").Build())
        {
            var catalog = TopicCatalog.LoadDefault();
            var problems = CatalogCheck.Problems(admin, catalog, smoke.Timeout);
            var brokers = admin.GetMetadata(smoke.Timeout).Brokers.Count;
            Console.WriteLine($"  {"brokers",-10} {brokers}");
            Console.WriteLine($"  {"topics",-10} {catalog.Topics.Count - problems.Count}/{catalog.Topics.Count} catalog topics present with the catalog's partition counts");
            foreach (var problem in problems)
            {
                Console.WriteLine($"  {string.Empty,-10} {problem}");
            }

            if (problems.Count > 0)
            {
                throw new InvalidOperationException("the cluster does not match the topic catalog (deploy/topics.yaml)");
            }
        }

        var result = await new RoundTrip(clients, smoke).RunAsync(stoppingToken);
        Console.Write(result.Describe());
        Console.WriteLine($"  {"result",-10} {(result.Passed ? "OK" : "FAILED")}");
        if (!result.Passed)
        {
            throw new InvalidOperationException("the round trip lost, duplicated or reordered records");
        }

        lifetime.StopApplication();
    }
}
