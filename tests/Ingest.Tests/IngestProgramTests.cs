using Streaming.Testing;

namespace Ingest.Tests;

/// <summary>The ingest program as deployed: a bad configuration stops it at once, naming the key.</summary>
public sealed class IngestProgramTests : IDisposable
{
    private readonly DirectoryInfo _workDir = Directory.CreateTempSubdirectory("ingest-");

    [Theory]
    [InlineData("Ingest:MaxStreamsPerConnection", "--Ingest:MaxStreamsPerConnection=2000")]
    [InlineData("Ingest:PodIndex", "--Ingest:PodIndex=3", "--Ingest:PodCount=2")]
    [InlineData("Ingest:Spot:WebSocketUrl", "--Ingest:Spot:WebSocketUrl=http://example.invalid/")]
    [InlineData("Ingest:Futures:Enabled", "--Ingest:Spot:Enabled=false")]
    [InlineData("Ingest:PodIndex is required", "--Ingest:PodCount=3", "--Ingest:InstanceId=collector")]
    [InlineData("Ingest:GapBackfill:MaxIdsPerGap", "--Ingest:GapBackfill:MaxIdsPerGap=0")]
    public async Task InvalidConfiguration_ExitsWith78NamingTheKey(string key, params string[] arguments)
    {
        await using var ingest = ChildProcess.Start(
            "Ingest", _workDir.FullName, ["--Service:Urls=http://127.0.0.1:0", "--Kafka:BootstrapServers=127.0.0.1:1", .. arguments]);

        Assert.Equal(78, await ingest.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(key, ingest.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _workDir.Delete(recursive: true);
}
