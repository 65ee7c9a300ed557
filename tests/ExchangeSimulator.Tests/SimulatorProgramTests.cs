using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using ExchangeSimulator.Tests.WebSockets;
using Streaming.Testing;

namespace ExchangeSimulator.Tests;

/// <summary>The simulator program as deployed: a separate process with its configuration, stopped with SIGTERM.</summary>
public sealed class SimulatorProgramTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo _workDir = Directory.CreateTempSubdirectory("simulator-");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Run_ServesStreamsRestAndControl_ThenStopsCleanlyOnSigterm()
    {
        var endpointsFile = Path.Combine(_workDir.FullName, "endpoints.json");
        var controlPort = FreePort();
        await using var simulator = ChildProcess.Start(
            "ExchangeSimulator",
            _workDir.FullName,
            $"--Service:Urls=http://127.0.0.1:{controlPort}",
            "--Simulator:Spot:Symbols=50",
            "--Simulator:Futures:Enabled=true",
            "--Simulator:Speed=5",
            "--Simulator:EndpointsFile=" + endpointsFile);

        await Eventually.TrueAsync(() => File.Exists(endpointsFile) || simulator.HasExited, Timeout, "the endpoints file", Token);
        Assert.False(simulator.HasExited, simulator.Output);
        using var endpoints = JsonDocument.Parse(await File.ReadAllTextAsync(endpointsFile, Token));
        var spotB = new Uri(endpoints.RootElement.GetProperty("spot").GetProperty("b").GetProperty("webSocket").GetString()!);
        var futuresA = new Uri(endpoints.RootElement.GetProperty("futures").GetProperty("a").GetProperty("webSocket").GetString()!);

        using (var spot = await StreamClient.ConnectAsync(new Uri(spotB, "/stream?streams=btcusdt@aggTrade"), Token))
        using (var futures = await StreamClient.ConnectAsync(new Uri(futuresA, "/market/ws/btcusdt@aggTrade"), Token))
        {
            Assert.StartsWith("{\"stream\":\"btcusdt@aggTrade\"", await spot.ReceiveAsync(), StringComparison.Ordinal);
            Assert.StartsWith("{\"e\":\"aggTrade\"", await futures.ReceiveAsync(), StringComparison.Ordinal);
        }

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{controlPort}/") };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("readyz", Token)).StatusCode);
        Assert.Contains("simulator_stream_messages", await http.GetStringAsync("metrics", Token), StringComparison.Ordinal);
        using var symbols = JsonDocument.Parse(await http.GetStringAsync("markets/spot/truth/symbols", Token));
        Assert.Equal("BTCUSDT", symbols.RootElement[0].GetProperty("symbol").GetString());

        await simulator.SignalAsync("TERM");
        Assert.Equal(0, await simulator.WaitForExitAsync(Timeout));
    }

    [Theory]
    [InlineData("Simulator:Spot:Symbols", "--Simulator:Spot:Symbols=0")]
    [InlineData("Simulator:Spot:Unlisted", "--Simulator:Spot:Unlisted:0=NOPEUSDT")]
    [InlineData("Simulator:Faults:0:Kind", "--Simulator:Faults:0:Kind=Explode")]
    [InlineData("Simulator:Faults:0:Region", "--Simulator:Faults:0:Kind=Drop", "--Simulator:Faults:0:Region=z")]
    [InlineData("Simulator:Spot:Regions:x", "--Simulator:Spot:Regions:x=70000")]
    public async Task Run_InvalidConfiguration_ExitsWith78NamingTheKey(string key, params string[] arguments)
    {
        await using var simulator = ChildProcess.Start("ExchangeSimulator", _workDir.FullName, ["--Service:Urls=http://127.0.0.1:0", .. arguments]);

        Assert.Equal(78, await simulator.WaitForExitAsync(Timeout));
        Assert.Contains(key, simulator.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ScheduledRegionDown_RefusesThatRegionWhileTheOtherServes()
    {
        var endpointsFile = Path.Combine(_workDir.FullName, "endpoints.json");
        await using var simulator = ChildProcess.Start(
            "ExchangeSimulator",
            _workDir.FullName,
            "--Service:Urls=http://127.0.0.1:0",
            "--Simulator:Spot:Symbols=20",
            "--Simulator:Faults:0:Kind=RegionDown",
            "--Simulator:Faults:0:Region=a",
            "--Simulator:Faults:0:Duration=01:00:00",
            "--Simulator:EndpointsFile=" + endpointsFile);
        await Eventually.TrueAsync(() => File.Exists(endpointsFile) || simulator.HasExited, Timeout, "the endpoints file", Token);
        Assert.False(simulator.HasExited, simulator.Output);
        using var endpoints = JsonDocument.Parse(await File.ReadAllTextAsync(endpointsFile, Token));
        using var http = new HttpClient();
        var a = new Uri(endpoints.RootElement.GetProperty("spot").GetProperty("a").GetProperty("http").GetString()!);
        var b = new Uri(endpoints.RootElement.GetProperty("spot").GetProperty("b").GetProperty("http").GetString()!);

        await Eventually.TrueAsync(
            async () => (await http.GetAsync(new Uri(a, "api/v3/exchangeInfo"), Token)).StatusCode == HttpStatusCode.ServiceUnavailable,
            Timeout,
            "region a to go down",
            Token);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(b, "api/v3/exchangeInfo"), Token)).StatusCode);
    }

    [Fact]
    public async Task Run_ReplayOfRecordedTrades_StreamsThemInOrder_AndServesThemOverRest()
    {
        var endpointsFile = Path.Combine(_workDir.FullName, "endpoints.json");
        var recording = RepoPaths.Combine("tests", "data", "recordings", "binance-vision", "BTCUSDT-aggTrades-2026-01-01.csv");
        await using var simulator = ChildProcess.Start(
            "ExchangeSimulator",
            _workDir.FullName,
            "--Service:Urls=http://127.0.0.1:0",
            "--Simulator:Spot:Replay:0=" + recording,
            "--Simulator:Speed=20",
            "--Simulator:EndpointsFile=" + endpointsFile);
        await Eventually.TrueAsync(() => File.Exists(endpointsFile) || simulator.HasExited, Timeout, "the endpoints file", Token);
        Assert.False(simulator.HasExited, simulator.Output);
        using var endpoints = JsonDocument.Parse(await File.ReadAllTextAsync(endpointsFile, Token));
        var region = endpoints.RootElement.GetProperty("spot").GetProperty("a");

        using (var client = await StreamClient.ConnectAsync(new Uri(new Uri(region.GetProperty("webSocket").GetString()!), "/ws/btcusdt@aggTrade"), Token))
        {
            var ids = (await client.ReceiveAsync(50)).Select(m => JsonDocument.Parse(m).RootElement.GetProperty("a").GetInt64()).ToList();
            Assert.All(ids, id => Assert.InRange(id, 3800397495, 3800402494));
            Assert.Equal(Enumerable.Range(0, ids.Count).Select(i => ids[0] + i), ids);
        }

        using var http = new HttpClient { BaseAddress = new Uri(region.GetProperty("http").GetString()!) };
        var first = await http.GetFromJsonAsync<JsonElement>("api/v3/aggTrades?symbol=BTCUSDT&fromId=3800397495&limit=1", Token);
        var row = (await File.ReadAllLinesAsync(recording, Token))[0].Split(',');
        Assert.Equal(long.Parse(row[0], System.Globalization.CultureInfo.InvariantCulture), first[0].GetProperty("a").GetInt64());
        Assert.Equal(row[1], first[0].GetProperty("p").GetString());
        Assert.Equal(row[2], first[0].GetProperty("q").GetString());
    }

    public void Dispose() => _workDir.Delete(recursive: true);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
