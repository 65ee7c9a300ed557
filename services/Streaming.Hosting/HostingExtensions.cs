using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streaming.Hosting.Configuration;
using Streaming.Hosting.Health;
using Streaming.Hosting.Logging;
using Streaming.Hosting.Metrics;

namespace Streaming.Hosting;

/// <summary>
/// The defaults every deployable service starts from:
/// <code>
/// var builder = WebApplication.CreateBuilder(args);
/// builder.AddServiceDefaults("orderbook");
/// builder.Services.AddValidatedOptions&lt;KafkaOptions&gt;("Kafka");
/// builder.Services.AddReadinessCondition("kafka-connected");
/// var app = builder.Build();
/// app.MapServiceDefaults();
/// return await app.RunServiceAsync();
/// </code>
/// </summary>
public static class HostingExtensions
{
    internal const string MetricsPath = "/metrics";
    internal const string LivenessPath = "/healthz";
    internal const string ReadinessPath = "/readyz";
    internal const string LiveTag = "live";
    internal const string ReadyTag = "ready";

    /// <summary>
    /// Adds JSON console logging stamped with <paramref name="serviceName"/>, the validated
    /// <see cref="ServiceOptions"/> (<c>Service</c> section), the shutdown timeout, the HTTP
    /// listen address, the Prometheus exporter, the health checks and the <see cref="ReadinessGate"/>.
    /// </summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddValidatedOptions<ServiceOptions>(ServiceOptions.SectionName);
        AddLogging(builder.Logging, serviceName);
        ConfigureShutdownTimeout(builder.Services);
        ConfigureUrls(builder);
        AddMetrics(builder.Services);
        AddHealthChecks(builder.Services);
        return builder;
    }

    /// <summary>
    /// Maps <c>GET /metrics</c> (Prometheus text format 0.0.4), <c>GET /healthz</c> (checks
    /// tagged "live") and <c>GET /readyz</c> (checks tagged "ready", including the
    /// <see cref="ReadinessGate"/>); the health endpoints answer 200 when healthy, 503 otherwise.
    /// </summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(MetricsPath, (PrometheusExporter exporter) => Results.Text(exporter.Scrape(), PrometheusTextWriter.ContentType));
        app.MapHealthChecks(LivenessPath, HealthEndpointOptions(LiveTag));
        app.MapHealthChecks(ReadinessPath, HealthEndpointOptions(ReadyTag));
        return app;
    }

    /// <summary>
    /// Runs the service (a WebApplication or any other host, such as a tool's) until it is stopped (SIGTERM, Ctrl+C, <paramref name="cancellationToken"/>,
    /// or a failing background service) and returns the process exit code
    /// (<see cref="ServiceExitCode"/>). When the configuration
    /// is invalid, each problem is logged as one line naming its key, e.g.
    /// <c>Invalid configuration: Kafka:Producer:LingerMs: The field LingerMs must be between 0 and 60000 (was 99999).</c>,
    /// and <see cref="ServiceExitCode.InvalidConfiguration"/> is returned. The app is disposed
    /// on return, which flushes the logs.
    /// </summary>
    public static async Task<int> RunServiceAsync(this IHost app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        await using (AsAsyncDisposable(app))
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Log.Category);
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (Exception exception) when (InvalidConfigurationReport.TryCreate(
                exception, app.Services.GetServices<ValidatedSection>(), out var failures))
            {
                foreach (var failure in failures)
                {
                    Log.InvalidConfiguration(logger, failure);
                }

                return ServiceExitCode.InvalidConfiguration;
            }
            catch (Exception exception)
            {
                // Whatever stopped start-up (a port in use, a hosted service that threw), the
                // process must say so and exit non-zero rather than crash with a stack trace.
                Log.StartupFailed(logger, exception);
                return ServiceExitCode.Failed;
            }

            await app.WaitForShutdownAsync(cancellationToken);

            // A background service that throws stops the host as if asked to (the host logs the
            // exception); without this check the process would report success.
            return app.Services.GetServices<IHostedService>().OfType<BackgroundService>().Any(s => s.ExecuteTask is { IsFaulted: true })
                ? ServiceExitCode.Failed
                : ServiceExitCode.Success;
        }
    }

    /// <summary>WebApplication disposes asynchronously; a plain IHost only synchronously.</summary>
    private static IAsyncDisposable AsAsyncDisposable(IHost host) =>
        host as IAsyncDisposable ?? new SyncDisposable(host);

    private sealed class SyncDisposable(IDisposable inner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            inner.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private static void AddLogging(ILoggingBuilder logging, string serviceName)
    {
        logging.ClearProviders();
        logging.AddConsole(console => console.FormatterName = JsonLogFormatter.FormatterName);
        logging.AddConsoleFormatter<JsonLogFormatter, JsonLogFormatterOptions>(json => json.ServiceName = serviceName);
    }

    private static void ConfigureShutdownTimeout(IServiceCollection services) =>
        services.AddOptions<HostOptions>().Configure<IOptions<ServiceOptions>>((host, service) =>
        {
            // The host reads HostOptions while the app is built, before start-up validation can
            // report an invalid Service section as a clear line: keep the default here and let
            // validation stop the service when it starts.
            try
            {
                host.ShutdownTimeout = service.Value.ShutdownTimeout;
            }
            catch (OptionsValidationException)
            {
            }
        });

    // Service:Urls, else the standard settings (ASPNETCORE_URLS / --urls, ASPNETCORE_HTTP_PORTS),
    // else every interface on port 8080: Kestrel's own default, localhost:5000, is unreachable
    // from a Kubernetes probe.
    private static void ConfigureUrls(WebApplicationBuilder builder)
    {
        var configured = builder.Configuration[$"{ServiceOptions.SectionName}:{nameof(ServiceOptions.Urls)}"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            builder.WebHost.UseUrls(configured);
        }
        else if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey])
            && string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.HttpPortsKey])
            && string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.HttpsPortsKey]))
        {
            builder.WebHost.UseUrls(ServiceOptions.DefaultUrls);
        }
    }

    private static void AddMetrics(IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<PrometheusExporter>();
        services.AddHostedService<MetricsListenerService>();
    }

    private static void AddHealthChecks(IServiceCollection services)
    {
        services.TryAddSingleton(provider => new ReadinessGate(
            provider.GetServices<ReadinessCondition>().Select(c => c.Name),
            provider.GetRequiredService<ILogger<ReadinessGate>>()));
        services.AddHealthChecks()
            .AddCheck("process", () => HealthCheckResult.Healthy("the process is running"), [LiveTag])
            .AddCheck<ReadinessGateHealthCheck>(ReadinessGateHealthCheck.Name, tags: [ReadyTag]);
    }

    private static HealthCheckOptions HealthEndpointOptions(string tag) => new()
    {
        Predicate = registration => registration.Tags.Contains(tag),
        ResponseWriter = HealthReportWriter.WriteAsync,
    };
}
