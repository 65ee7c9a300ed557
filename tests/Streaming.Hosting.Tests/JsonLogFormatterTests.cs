using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Streaming.Hosting.Logging;
using Streaming.Hosting.Tests.Infrastructure;

namespace Streaming.Hosting.Tests;

public sealed class JsonLogFormatterTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, 6, TimeSpan.FromHours(2));

    [Fact]
    public void Write_LogEntry_IsOneJsonLineWithUtcTimestampServiceStateAndScopes()
    {
        var formatter = new JsonLogFormatter(new FixedOptionsMonitor(new() { ServiceName = "orderbook" }), new FixedTimeProvider(Now));
        var scopes = new LoggerExternalScopeProvider();
        using var partitionScope = scopes.Push(new Dictionary<string, object?> { ["Partition"] = 3 });
        using var textScope = scopes.Push("replaying");
        IReadOnlyList<KeyValuePair<string, object?>> state =
            [new("Count", 42), new("Symbol", "BTC\"USDT"), new("{OriginalFormat}", "Processed {Count} for {Symbol}")];
        var entry = new LogEntry<IReadOnlyList<KeyValuePair<string, object?>>>(
            LogLevel.Warning, "Streaming.Tests", new EventId(7, "Processed"), state, new InvalidOperationException("boom"),
            (_, _) => "Processed 42 for BTC\"USDT");
        using var output = new StringWriter();

        formatter.Write(entry, scopes, output);

        var text = output.ToString();
        Assert.Equal(text.Length - 1, text.IndexOf('\n', StringComparison.Ordinal));
        var json = JsonDocument.Parse(text).RootElement;
        Assert.Equal("2025-01-02T01:04:05.006Z", json.GetProperty("timestamp").GetString());
        Assert.Equal("Warning", json.GetProperty("level").GetString());
        Assert.Equal("orderbook", json.GetProperty("service").GetString());
        Assert.Equal("Streaming.Tests", json.GetProperty("category").GetString());
        Assert.Equal(7, json.GetProperty("eventId").GetInt32());
        Assert.Equal("Processed", json.GetProperty("eventName").GetString());
        Assert.Equal("Processed 42 for BTC\"USDT", json.GetProperty("message").GetString());
        Assert.Equal("Processed {Count} for {Symbol}", json.GetProperty("messageTemplate").GetString());
        Assert.Equal(42, json.GetProperty("state").GetProperty("Count").GetInt32());
        Assert.Equal("BTC\"USDT", json.GetProperty("state").GetProperty("Symbol").GetString());
        Assert.Equal(3, json.GetProperty("scopes")[0].GetProperty("Partition").GetInt32());
        Assert.Equal("replaying", json.GetProperty("scopes")[1].GetString());
        Assert.StartsWith("System.InvalidOperationException: boom", json.GetProperty("exception").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AddServiceDefaults_ConsoleLogging_UsesTheJsonFormatterWithTheServiceName()
    {
        using var app = TestApp.Build(TestApp.CreateBuilder());

        Assert.Equal(JsonLogFormatter.FormatterName, app.Services.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.FormatterName);
        Assert.Contains(app.Services.GetServices<ConsoleFormatter>(), f => f is JsonLogFormatter);
        Assert.Equal(TestApp.ServiceName, app.Services.GetRequiredService<IOptionsMonitor<JsonLogFormatterOptions>>().CurrentValue.ServiceName);
        Assert.Equal(
            [typeof(ConsoleLoggerProvider)],
            app.Services.GetServices<ILoggerProvider>().Select(p => p.GetType()));
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class FixedOptionsMonitor(JsonLogFormatterOptions options) : IOptionsMonitor<JsonLogFormatterOptions>
    {
        public JsonLogFormatterOptions CurrentValue => options;

        public JsonLogFormatterOptions Get(string? name) => options;

        public IDisposable? OnChange(Action<JsonLogFormatterOptions, string?> listener) => null;
    }
}
