using Microsoft.Extensions.Hosting;

namespace Streaming.Hosting.Metrics;

/// <summary>
/// Starts the <see cref="PrometheusExporter"/> as the host starts: after start-up validation
/// (the exporter reads validated options) but before any hosted service's StartAsync, so that
/// measurements taken while services start are not lost.
/// </summary>
internal sealed class MetricsListenerService(PrometheusExporter exporter) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        exporter.Start();
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
