using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streaming.Hosting.Tests.Infrastructure;

namespace Streaming.Hosting.Tests;

/// <summary>
/// Each invalid configuration must stop start-up with exit code 78 and one log line per problem
/// naming the full configuration key.
/// </summary>
public sealed class ConfigurationValidationTests
{
    private const int InvalidConfigurationEvent = 100;
    private static readonly KeyValuePair<string, string?> BootstrapServers = new("Kafka:Producer:BootstrapServers", "localhost:9092");

    [Fact]
    public async Task RunService_OutOfRangeValue_ExitsWithOneLineNamingTheKeyAndValue()
    {
        var (exitCode, failures) = await RunAsync(BootstrapServers, new("Kafka:Producer:LingerMs", "99999"));

        Assert.Equal(ServiceExitCode.InvalidConfiguration, exitCode);
        Assert.Equal(["Invalid configuration: Kafka:Producer:LingerMs: The field LingerMs must be between 0 and 60000 (was 99999)."], failures);
    }

    [Fact]
    public async Task RunService_MissingRequiredValue_NamesTheKey()
    {
        var (exitCode, failures) = await RunAsync(new KeyValuePair<string, string?>("Kafka:Producer:LingerMs", "10"));

        Assert.Equal(ServiceExitCode.InvalidConfiguration, exitCode);
        Assert.Equal(["Invalid configuration: Kafka:Producer:BootstrapServers: The BootstrapServers field is required."], failures);
    }

    [Fact]
    public async Task RunService_NonConvertibleValue_NamesTheKeyAndValue()
    {
        var (exitCode, failures) = await RunAsync(BootstrapServers, new("Kafka:Producer:LingerMs", "abc"));

        Assert.Equal(ServiceExitCode.InvalidConfiguration, exitCode);
        Assert.Equal(["Invalid configuration: Kafka:Producer:LingerMs: 'abc' is not a valid Int32"], failures);
    }

    [Fact]
    public async Task RunService_UnknownKey_NamesTheKeyAndTheKnownOnes()
    {
        var (exitCode, failures) = await RunAsync(BootstrapServers, new("Kafka:Producer:LingerMss", "10"));

        Assert.Equal(ServiceExitCode.InvalidConfiguration, exitCode);
        Assert.Equal(
            ["Invalid configuration: Kafka:Producer:LingerMss: not a known setting; known settings here: BootstrapServers, Compression, LingerMs, RequestTimeout"],
            failures);
    }

    [Fact]
    public async Task RunService_InvalidEnumAndTimeSpan_SayWhatIsExpected()
    {
        var (_, failures) = await RunAsync(
            BootstrapServers, new("Kafka:Producer:Compression", "brotli"), new("Kafka:Producer:RequestTimeout", "30s"));

        Assert.Equal(
            [
                "Invalid configuration: Kafka:Producer:Compression: 'brotli' is not a valid CompressionTestType (expected one of: None, Lz4, Zstd)",
                "Invalid configuration: Kafka:Producer:RequestTimeout: '30s' is not a valid TimeSpan (expected [d.]hh:mm:ss[.fffffff], e.g. 00:00:30)",
            ],
            failures);
    }

    [Fact]
    public async Task RunService_InvalidListElement_NamesTheIndexedKey()
    {
        var (exitCode, failures) = await RunAsync(
            BootstrapServers, new("Kafka:Topics:0:Name", "trades"), new("Kafka:Topics:1:Name", "depth"), new("Kafka:Topics:1:Partitions", "0"));

        Assert.Equal(ServiceExitCode.InvalidConfiguration, exitCode);
        Assert.Equal(["Invalid configuration: Kafka:Topics:1:Partitions: The field Partitions must be between 1 and 1000 (was 0)."], failures);
    }

    [Fact]
    public async Task RunService_ProblemsInSeveralSections_ReportsThemAll()
    {
        var (exitCode, failures) = await RunAsync(
            new KeyValuePair<string, string?>("Kafka:Producer:LingerMs", "-1"), new("Service:ShutdownTimout", "00:00:05"));

        Assert.Equal(ServiceExitCode.InvalidConfiguration, exitCode);
        Assert.Contains(failures, f => f.StartsWith("Invalid configuration: Service:ShutdownTimout: not a known setting", StringComparison.Ordinal));
        Assert.Contains("Invalid configuration: Kafka:Producer:BootstrapServers: The BootstrapServers field is required.", failures);
        Assert.Contains("Invalid configuration: Kafka:Producer:LingerMs: The field LingerMs must be between 0 and 60000 (was -1).", failures);
    }

    [Fact]
    public async Task RunService_ServiceValidatorFailure_IsPrefixedWithTheSection()
    {
        var (exitCode, failures) = await RunAsync(
            options => options.Validate(o => o.Topics.Count > 0, "at least one topic is required"),
            BootstrapServers);

        Assert.Equal(ServiceExitCode.InvalidConfiguration, exitCode);
        Assert.Equal(["Invalid configuration: Kafka: at least one topic is required"], failures);
    }

    [Fact]
    public async Task RunService_ValidConfiguration_RunsUntilCancelledAndExitsWithZero()
    {
        var builder = TestApp.CreateBuilder(BootstrapServers, new("Kafka:Producer:LingerMs", "20"), new("Kafka:Producer:Compression", "zstd"));
        builder.Services.AddValidatedOptions<KafkaTestOptions>("Kafka");
        var app = TestApp.Build(builder);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        KafkaTestOptions? boundOptions = null;
        using var stopWhenStarted = app.Lifetime.ApplicationStarted.Register(() =>
        {
            boundOptions = app.Services.GetRequiredService<IOptions<KafkaTestOptions>>().Value;
            stop.Cancel();
        });

        var exitCode = await app.RunServiceAsync(stop.Token);

        Assert.Equal(ServiceExitCode.Success, exitCode);
        Assert.Equal(20, boundOptions?.Producer.LingerMs);
        Assert.Equal(CompressionTestType.Zstd, boundOptions?.Producer.Compression);
    }

    [Fact]
    public void AddValidatedOptions_SameTypeTwice_Throws()
    {
        var services = new ServiceCollection();
        services.AddValidatedOptions<KafkaTestOptions>("Kafka");

        var exception = Assert.Throws<InvalidOperationException>(() => services.AddValidatedOptions<KafkaTestOptions>("Other"));

        Assert.Contains("'Kafka'", exception.Message, StringComparison.Ordinal);
    }

    private static Task<(int ExitCode, IReadOnlyList<string> Failures)> RunAsync(params KeyValuePair<string, string?>[] settings) =>
        RunAsync(_ => { }, settings);

    private static async Task<(int ExitCode, IReadOnlyList<string> Failures)> RunAsync(
        Action<OptionsBuilder<KafkaTestOptions>> configure, params KeyValuePair<string, string?>[] settings)
    {
        var logs = new LogCapture();
        var builder = TestApp.CreateBuilder(settings);
        builder.Logging.AddProvider(logs);
        configure(builder.Services.AddValidatedOptions<KafkaTestOptions>("Kafka"));
        var app = TestApp.Build(builder);

        // Should start-up wrongly succeed, stop instead of hanging the test run.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var exitCode = await app.RunServiceAsync(timeout.Token);
        return (exitCode, [.. logs.MessagesOf(InvalidConfigurationEvent)]);
    }
}
