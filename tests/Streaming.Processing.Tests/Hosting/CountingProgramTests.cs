using System.Net;
using System.Net.Sockets;
using Confluent.Kafka;
using Streaming.Processing.CountingApp;
using Streaming.Processing.Tests.Counting;
using Streaming.Testing;

namespace Streaming.Processing.Tests.Hosting;

/// <summary>A topology hosted as a service (the counting program as a process): validated options, readiness, metrics, a clean stop.</summary>
public sealed class CountingProgramTests : IDisposable
{
    private readonly DirectoryInfo _workDir = Directory.CreateTempSubdirectory("counting-program-");

    [Theory]
    [InlineData("Processing:CommitInterval", "--Processing:CommitInterval=00:00:00.001")]
    [InlineData("Processing:OnChangelogTruncated", "--Processing:OnChangelogTruncated=Ignore")]
    [InlineData("Processing:RestoreBatchRecords", "--Processing:RestoreBatchRecords=0")]
    public async Task InvalidConfiguration_ExitsWith78NamingTheKey(string key, string argument)
    {
        await using var program = ChildProcess.Start(
            "Streaming.Processing.CountingApp", _workDir.FullName, "--Service:Urls=http://127.0.0.1:0", "--Kafka:BootstrapServers=127.0.0.1:1", argument);

        Assert.Equal(78, await program.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(key, program.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Running_BecomesReadyExportsTheRuntimeMetricsAndStopsCleanlyOnSigterm()
    {
        using var kafka = new EmbeddedKafkaFixture();
        var app = "program-" + Guid.NewGuid().ToString("N")[..8];
        var input = kafka.CreateTopic(app + "-in", 3);
        var output = kafka.CreateTopic(app + "-out", 3);
        kafka.Cluster.CreateTopic(CountingTopology.Changelog(app), 3, 1);
        var workload = new CountingWorkload(seed: 31, keys: 20);
        using (var producer = new ProducerBuilder<string, byte[]>(kafka.ProducerConfig()).Build())
        {
            CountingWorkload.Produce(producer, input, workload.Next(1_000), 1_700_000_000_000);
        }

        var port = FreePort();
        await using var program = ChildProcess.Start("Streaming.Processing.CountingApp", _workDir.FullName,
            $"--Service:Urls=http://127.0.0.1:{port}", $"--Kafka:BootstrapServers={kafka.BootstrapServers}",
            $"--Counting:ApplicationId={app}", $"--Counting:InputTopic={input}", $"--Counting:OutputTopic={output}",
            "--Processing:InstanceId=program-test", $"--Processing:StateDirectory={Path.Combine(_workDir.FullName, "state")}",
            $"--Processing:DeadLetterTopic={app}-dlq");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };

        await Eventually.TrueAsync(async () => await StatusAsync(http, "/readyz") == HttpStatusCode.OK, TimeSpan.FromSeconds(60),
            "/readyz answers 200 once every task runs", TestContext.Current.CancellationToken);
        await CountingResults.WaitForOracleAsync(kafka.BootstrapServers, output, 3, workload, TimeSpan.FromSeconds(60), "outputs equal the oracle");
        string metrics = "";
        await Eventually.TrueAsync(async () =>
            {
                metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);
                return metrics.Contains("streaming_processing_records_total", StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(30), "the runtime's metrics on /metrics", TestContext.Current.CancellationToken);

        foreach (var family in new[] { "streaming_processing_commits_total", "streaming_processing_commit_duration_seconds", "streaming_processing_duplicates_total", "streaming_processing_store_entries" })
        {
            Assert.Contains(family, metrics, StringComparison.Ordinal);
        }

        await program.SignalAsync("TERM");
        Assert.Equal(0, await program.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("StreamThreadStopped", program.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _workDir.Delete(recursive: true);

    private static async Task<HttpStatusCode?> StatusAsync(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
