using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Streaming.Hosting.Tests.Infrastructure;

/// <summary>
/// A service built with the defaults, served by a real Kestrel server on a free loopback port.
/// </summary>
internal sealed class TestApp : IAsyncDisposable
{
    public const string ServiceName = "hosting-tests";

    private TestApp(WebApplication app)
    {
        App = app;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public HttpClient Client { get; }

    /// <summary>
    /// A builder with the service defaults, listening on 127.0.0.1:0 unless the given settings
    /// say otherwise (they are added before the defaults read them, as appsettings.json would be).
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(params IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            // Development makes the container validate every registration when the app is built.
            EnvironmentName = Environments.Development,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(
        [
            new("Service:Urls", "http://127.0.0.1:0"),
            new("Logging:LogLevel:Default", "Warning"),
        ]);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults(ServiceName);
        return builder;
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.MapServiceDefaults();
        return app;
    }

    public static async Task<TestApp> StartAsync(WebApplicationBuilder builder)
    {
        var app = Build(builder);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new TestApp(app);
    }

    public static Task<TestApp> StartAsync(params IEnumerable<KeyValuePair<string, string?>> settings) =>
        StartAsync(CreateBuilder(settings));

    public async Task<PrometheusExposition> ScrapeAsync()
    {
        var text = await Client.GetStringAsync(HostingExtensions.MetricsPath, TestContext.Current.CancellationToken);
        return PrometheusExposition.Parse(text);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}
