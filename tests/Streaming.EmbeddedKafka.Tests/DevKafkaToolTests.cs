using Confluent.Kafka;
using Streaming.Testing;
using Streaming.Topics;

namespace Streaming.EmbeddedKafka.Tests;

/// <summary>The DevKafka tool, run as the README runs it: a separate process, stopped with Ctrl-C.</summary>
public sealed class DevKafkaToolTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo _workDir = Directory.CreateTempSubdirectory("devkafka-");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Run_DefaultCatalog_CreatesEveryTopicPublishesBootstrapAndCleansUpOnCtrlC()
    {
        var bootstrapFile = Path.Combine(_workDir.FullName, "state", "bootstrap.servers");
        await using var tool = ChildProcess.Start("DevKafka", _workDir.FullName, "--brokers", "3", "--bootstrap-file", bootstrapFile);

        await Eventually.TrueAsync(() => File.Exists(bootstrapFile) || tool.HasExited, Timeout, "the bootstrap file", Token);
        Assert.False(tool.HasExited, tool.Output);
        var bootstrap = (await File.ReadAllTextAsync(bootstrapFile, Token)).Trim();
        Assert.Equal(3, bootstrap.Split(',').Length);

        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
        {
            var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
            var topics = metadata.Topics.ToDictionary(t => t.Topic, t => t.Partitions.Count, StringComparer.Ordinal);
            var catalog = TopicCatalog.LoadDefault();
            Assert.NotEmpty(catalog.Topics);
            Assert.All(catalog.Topics, spec => Assert.Equal(spec.Partitions, topics.GetValueOrDefault(spec.Name)));
        }

        await tool.SignalAsync("INT");
        Assert.Equal(0, await tool.WaitForExitAsync(Timeout));
        Assert.False(File.Exists(bootstrapFile), "the bootstrap file outlived the broker");
    }

    [Fact]
    public async Task Run_InvalidBrokerCount_ExitsNonZeroNamingTheKey()
    {
        await using var tool = ChildProcess.Start("DevKafka", _workDir.FullName, "--brokers", "0");

        Assert.NotEqual(0, await tool.WaitForExitAsync(Timeout));
        Assert.Contains("DevKafka:Brokers", tool.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _workDir.Delete(recursive: true);
}
