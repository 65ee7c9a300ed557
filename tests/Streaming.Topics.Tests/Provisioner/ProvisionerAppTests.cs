using System.Net;
using System.Net.Sockets;
using Confluent.Kafka;
using Streaming.Topics.Tests.Support;
using TopicProvisioner;

namespace Streaming.Topics.Tests.Provisioner;

/// <summary>
/// The whole tool, from command line to exit code. Against librdkafka's mock cluster, the only
/// broker on the project's machines: it has no Admin API, so what is tested is that the tool
/// says so clearly. Creating and altering topics through the Confluent adapter is not tested here.
/// </summary>
public sealed class ProvisionerAppTests : IDisposable
{
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose()
    {
        _output.Dispose();
        _error.Dispose();
    }

    [Fact]
    public async Task RunAsync_Help_PrintsUsageWithExitCodes()
    {
        var exitCode = await RunAsync("--help");

        Assert.Equal(ExitCodes.InSync, exitCode);
        Assert.Contains("--bootstrap-servers <list>", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("3   an existing topic differs in partitions or replication factor", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_InvalidCommandLine_Exits64()
    {
        var exitCode = await RunAsync("--bootstrap-servers", "k", "--frobnicate");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Equal("Unknown option '--frobnicate'. Run with --help for usage.", _error.ToString().Trim());
    }

    [Fact]
    public async Task RunAsync_InvalidCatalogFile_Exits1ListingProblemsBeforeConnecting()
    {
        var path = Path.Combine(Path.GetTempPath(), $"catalog-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, CatalogYaml.Document(CatalogYaml.Topic("a$b", 0), "  - name: a.c\n"), TestContext.Current.CancellationToken);
        try
        {
            var exitCode = await RunAsync("--bootstrap-servers", "127.0.0.1:1", "--catalog", path);

            Assert.Equal(ExitCodes.Error, exitCode);
            Assert.Contains($"Topic catalog {path} is invalid", _error.ToString(), StringComparison.Ordinal);
            Assert.Contains("topic 'a$b', name: contains '$'", _error.ToString(), StringComparison.Ordinal);
            Assert.Contains("topic 'a$b', partitions: must be at least 1", _error.ToString(), StringComparison.Ordinal);
            Assert.Contains("topic 'a.c', owner: is required", _error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task RunAsync_MissingCatalogFile_Exits1()
    {
        var exitCode = await RunAsync("--bootstrap-servers", "127.0.0.1:1", "--catalog", "/nonexistent/topics.yaml");

        Assert.Equal(ExitCodes.Error, exitCode);
        Assert.Contains("Cannot read the catalog /nonexistent/topics.yaml", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnusableClientSettings_Exits1SayingWhich()
    {
        var exitCode = await RunAsync("--bootstrap-servers", "127.0.0.1:1", "--security-protocol", "ssl", "--ssl-ca-location", "/nonexistent/ca.pem");

        Assert.Equal(ExitCodes.Error, exitCode);
        Assert.Contains("Cannot create a Kafka client from these settings: ssl.ca.location", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NothingListening_Exits1SayingItCannotConnect()
    {
        var exitCode = await RunAsync("--bootstrap-servers", $"127.0.0.1:{ClosedPort()}", "--timeout-seconds", "2");

        Assert.Equal(ExitCodes.Error, exitCode);
        Assert.Contains("Cannot reach the Kafka cluster at 127.0.0.1:", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_AgainstMockCluster_Exits1SayingTheAdminApiIsMissing()
    {
        using var mockCluster = new ProducerBuilder<Null, Null>(MockClusterConfig()).SetLogHandler((_, _) => { }).Build();
        using var metadataClient = new DependentAdminClientBuilder(mockCluster.Handle).Build();
        var brokers = metadataClient.GetMetadata(TimeSpan.FromSeconds(10)).Brokers;
        var bootstrapServers = string.Join(",", brokers.Select(broker => $"{broker.Host}:{broker.Port}"));

        var exitCode = await RunAsync("--bootstrap-servers", bootstrapServers, "--dry-run", "--timeout-seconds", "2");

        Assert.Equal(ExitCodes.Error, exitCode);
        Assert.Contains("answers metadata requests but not the Admin API", _error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Topics on the embedded broker are created by DevKafka from the same catalog", _error.ToString(), StringComparison.Ordinal);
    }

    private static ProducerConfig MockClusterConfig()
    {
        var config = new ProducerConfig();
        config.Set("test.mock.num.brokers", "1");
        return config;
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private Task<int> RunAsync(params string[] args) =>
        ProvisionerApp.RunAsync(args, _output, _error, _ => null, TestContext.Current.CancellationToken);
}
