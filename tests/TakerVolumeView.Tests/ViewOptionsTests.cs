using Streaming.Contracts.Common.V1;

namespace TakerVolumeView.Tests;

public sealed class ViewOptionsTests
{
    [Fact]
    public void Parse_OnlyServers_GivesTheDefaults()
    {
        var options = Parsed("--bootstrap-servers", "localhost:9092");

        Assert.Equal("localhost:9092", options.BootstrapServers);
        Assert.Equal(Market.Spot, options.Market);
        Assert.Equal("spot", options.MarketName);
        Assert.Empty(options.MetricsUrls);
        Assert.Equal(15, options.Top);
        Assert.Equal(8, options.Alerts);
        Assert.Equal(TimeSpan.FromSeconds(1), options.Refresh);
        Assert.Equal(TimeSpan.FromSeconds(10), options.PrintEvery);
        Assert.Null(options.Duration);
        Assert.Null(options.SummaryJson);
    }

    [Fact]
    public void Parse_EveryOption()
    {
        var options = Parsed(
            "--bootstrap-servers=a:1,b:2", "--market", "usdm", "--metrics-url", "http://pod-0:9100/metrics", "--metrics-url=http://pod-1:9100/metrics",
            "--top", "20", "--alerts", "3", "--refresh", "500ms", "--print-every", "30s", "--duration", "00:01:30", "--summary-json", "out/summary.json");

        Assert.Equal("a:1,b:2", options.BootstrapServers);
        Assert.Equal(Market.UsdmFutures, options.Market);
        Assert.Equal("usdm", options.MarketName);
        Assert.Equal([new Uri("http://pod-0:9100/metrics"), new Uri("http://pod-1:9100/metrics")], options.MetricsUrls);
        Assert.Equal(20, options.Top);
        Assert.Equal(3, options.Alerts);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.Refresh);
        Assert.Equal(TimeSpan.FromSeconds(30), options.PrintEvery);
        Assert.Equal(TimeSpan.FromSeconds(90), options.Duration);
        Assert.Equal("out/summary.json", options.SummaryJson);
    }

    [Fact]
    public void Parse_BootstrapFile_ReadsTheServers()
    {
        var file = Path.Combine(Path.GetTempPath(), $"tvv-{Guid.NewGuid():N}.servers");
        File.WriteAllText(file, "127.0.0.1:39001,127.0.0.1:39002\n");
        try
        {
            Assert.Equal("127.0.0.1:39001,127.0.0.1:39002", Parsed("--bootstrap-file", file).BootstrapServers);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("--bootstrap-servers", "x:1", "--help")]
    public void Parse_Help(params string[] args) => Assert.True(ViewOptions.Parse(args).Help);

    [Theory]
    [InlineData("--bootstrap-servers", new string[0])]
    [InlineData("--bootstrap-servers", new[] { "--market", "spot" })]
    [InlineData("--bootstrap-servers", new[] { "--bootstrap-servers" })]
    [InlineData("--bootstrap-file", new[] { "--bootstrap-file", "/nonexistent/bootstrap.servers" })]
    [InlineData("--bootstrap-file", new[] { "--bootstrap-servers", "a:1", "--bootstrap-file", "/tmp/x" })]
    [InlineData("--market", new[] { "--bootstrap-servers", "a:1", "--market", "coinm" })]
    [InlineData("--metrics-url", new[] { "--bootstrap-servers", "a:1", "--metrics-url", "pod:9100/metrics" })]
    [InlineData("--metrics-url", new[] { "--bootstrap-servers", "a:1", "--metrics-url", "ftp://pod/metrics" })]
    [InlineData("--top", new[] { "--bootstrap-servers", "a:1", "--top", "0" })]
    [InlineData("--top", new[] { "--bootstrap-servers", "a:1", "--top", "many" })]
    [InlineData("--top", new[] { "--bootstrap-servers", "a:1", "--top" })]
    [InlineData("--alerts", new[] { "--bootstrap-servers", "a:1", "--alerts", "-1" })]
    [InlineData("--refresh", new[] { "--bootstrap-servers", "a:1", "--refresh", "soon" })]
    [InlineData("--refresh", new[] { "--bootstrap-servers", "a:1", "--refresh", "1ms" })]
    [InlineData("--print-every", new[] { "--bootstrap-servers", "a:1", "--print-every", "0" })]
    [InlineData("--duration", new[] { "--bootstrap-servers", "a:1", "--duration", "-5" })]
    [InlineData("--duration", new[] { "--bootstrap-servers", "a:1", "--duration", "00:61:xx" })]
    [InlineData("--summary-json", new[] { "--bootstrap-servers", "a:1", "--summary-json", "" })]
    [InlineData("--colour", new[] { "--bootstrap-servers", "a:1", "--colour", "always" })]
    [InlineData("stray", new[] { "--bootstrap-servers", "a:1", "stray" })]
    public void Parse_BadArgument_ErrorNamesIt(string named, string[] args)
    {
        var result = ViewOptions.Parse(args);

        Assert.Null(result.Options);
        Assert.False(result.Help);
        Assert.Contains(named, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BadArgument_Exits64WithTheMessage()
    {
        using var output = new StringWriter();

        var exit = await ViewApp.RunAsync(["--bootstrap-servers", "a:1", "--top", "zero"], output, TestContext.Current.CancellationToken);

        Assert.Equal(64, exit);
        Assert.Contains("--top", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Help_Exits0WithUsage()
    {
        using var output = new StringWriter();

        var exit = await ViewApp.RunAsync(["--help"], output, TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        Assert.Contains("--summary-json", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:01:30", 90_000)]
    [InlineData("90s", 90_000)]
    [InlineData("90", 90_000)]
    [InlineData("1.5m", 90_000)]
    [InlineData("250ms", 250)]
    [InlineData("2h", 7_200_000)]
    public void TryParseDuration_Forms(string text, long milliseconds)
    {
        Assert.True(ViewOptions.TryParseDuration(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    private static ViewOptions Parsed(params string[] args)
    {
        var result = ViewOptions.Parse(args);
        Assert.Null(result.Error);
        return result.Options!;
    }
}
