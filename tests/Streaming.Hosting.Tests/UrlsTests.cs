using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace Streaming.Hosting.Tests;

/// <summary>
/// Which address the service listens on. An empty builder is used so that the machine's
/// ASPNETCORE_* environment variables cannot change the outcome.
/// </summary>
public sealed class UrlsTests
{
    [Fact]
    public void AddServiceDefaults_NothingConfigured_ListensOnAllInterfacesPort8080() =>
        Assert.Equal(ServiceOptions.DefaultUrls, UrlsFor());

    [Fact]
    public void AddServiceDefaults_ServiceUrls_TakesPrecedence() =>
        Assert.Equal("http://127.0.0.1:9100", UrlsFor(("Service:Urls", "http://127.0.0.1:9100"), ("urls", "http://127.0.0.1:9200")));

    [Fact]
    public void AddServiceDefaults_StandardUrlsSetting_IsKept() =>
        Assert.Equal("http://127.0.0.1:9200", UrlsFor(("urls", "http://127.0.0.1:9200")));

    [Fact]
    public void AddServiceDefaults_StandardHttpPorts_AreLeftToKestrel() =>
        Assert.Null(UrlsFor(("http_ports", "9300")));

    private static string? UrlsFor(params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.AddServiceDefaults("urls-tests");
        return builder.Configuration[WebHostDefaults.ServerUrlsKey];
    }
}
