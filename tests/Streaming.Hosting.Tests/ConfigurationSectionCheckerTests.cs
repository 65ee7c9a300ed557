using Microsoft.Extensions.Configuration;
using Streaming.Hosting.Configuration;

namespace Streaming.Hosting.Tests;

/// <summary>
/// The checker runs before the binder to report every problem under its full key; it must agree
/// with the binder, or it would reject configurations that bind (or miss ones that do not).
/// </summary>
public sealed class ConfigurationSectionCheckerTests
{
    [Theory]
    [InlineData("Count", " 5 ")]
    [InlineData("Optional", "")]
    [InlineData("Compression", "1")]
    [InlineData("Compression", "zstd")]
    [InlineData("Timeout", "1.02:03:04")]
    [InlineData("Payload", "AQID")]
    [InlineData("Endpoint", "relative/path")]
    [InlineData("Limits:trades:Max", "3")]
    [InlineData("Tags:0", "a")]
    [InlineData("Nested:Count", "2")]
    public void FindProblems_ValueTheBinderAccepts_ReportsNothing(string key, string value)
    {
        var section = Section(key, value);

        Assert.Empty(ConfigurationSectionChecker.FindProblems(section, typeof(EdgeOptions)));
        section.Bind(new EdgeOptions(), binder => binder.ErrorOnUnknownConfiguration = true);
    }

    [Theory]
    [InlineData("Count", "")]
    [InlineData("Count", "1.5")]
    [InlineData("Count", "99999999999")]
    [InlineData("Compression", "brotli")]
    [InlineData("Payload", "!!")]
    [InlineData("Limits:trades:Maximum", "3")]
    [InlineData("Nested:Cuont", "2")]
    public void FindProblems_ValueTheBinderRejects_ReportsItUnderItsFullKey(string key, string value)
    {
        var section = Section(key, value);

        var problem = Assert.Single(ConfigurationSectionChecker.FindProblems(section, typeof(EdgeOptions)));
        Assert.StartsWith($"Edge:{key}: ", problem, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => section.Bind(new EdgeOptions(), binder => binder.ErrorOnUnknownConfiguration = true));
    }

    [Fact]
    public void FindProblems_ConfigurationKeyName_IsTheKnownKeyNotThePropertyName()
    {
        // Only the checker: the binder of the installed runtime gets this backwards when
        // ErrorOnUnknownConfiguration is on (dotnet/runtime#119114, fixed upstream by #125876).
        Assert.Empty(ConfigurationSectionChecker.FindProblems(Section("renamed-key", "x"), typeof(EdgeOptions)));
        Assert.Single(ConfigurationSectionChecker.FindProblems(Section("Renamed", "x"), typeof(EdgeOptions)));
    }

    private static IConfigurationSection Section(string key, string value) =>
        new ConfigurationBuilder().AddInMemoryCollection([new($"Edge:{key}", value)]).Build().GetSection("Edge");

    private sealed class EdgeOptions
    {
        public int Count { get; set; }

        public int? Optional { get; set; }

        public CompressionTestType Compression { get; set; }

        public TimeSpan Timeout { get; set; }

        public byte[]? Payload { get; set; }

        public Uri? Endpoint { get; set; }

        [ConfigurationKeyName("renamed-key")]
        public string? Renamed { get; set; }

        public Dictionary<string, LimitOptions> Limits { get; set; } = [];

        public IReadOnlyList<string>? Tags { get; set; }

        public EdgeOptions? Nested { get; set; }
    }

    private sealed class LimitOptions
    {
        public int Max { get; set; }
    }
}
