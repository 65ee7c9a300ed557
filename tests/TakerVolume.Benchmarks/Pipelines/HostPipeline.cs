using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TakerVolume.Benchmarks.Pipelines;

/// <summary>
/// The taker-volume processor as its program builds it (<see cref="TakerVolumeHost.Build"/>: the web host, its
/// Prometheus exporter listening to every metric, health checks, the topology with the catalog's names), started
/// in this process with the arguments tests/TakerVolume.Tests gives it. Its application id and topics are fixed per
/// market, so it can run once per embedded broker: the harness runs it once, after the rounds.
/// </summary>
internal sealed class HostPipeline(string bootstrapServers, string stateDirectory, TimeSpan commitInterval, ProcessingMeter meter) : IPipeline
{
    public const string ApplicationId = "taker-volume-spot";

    private WebApplication? _host;
    private Task _completion = Task.CompletedTask;

    public string GroupId => ApplicationId;

    public int ProcessingThread => meter.StreamThread;

    public (TimeSpan Time, long Count) Commits => meter.Commits;

#pragma warning disable VSTHRD003 // The host's stream-processing service, started by StartAsync.
    public Task Completion => _completion;
#pragma warning restore VSTHRD003

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _host = TakerVolumeHost.Build(
        [
            "--Service:Urls=http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            // The service logs JSON to the console; standard output carries the harness's tables.
            "--Logging:Console:LogToStandardErrorThreshold=Trace",
            "--Kafka:BootstrapServers=" + bootstrapServers,
            "--Kafka:Consumer:FetchMaxWait=00:00:00.050",
            "--Processing:StateDirectory=" + stateDirectory,
            "--Processing:InstanceId=taker-volume-bench",
            "--Processing:CommitInterval=" + commitInterval.ToString("c", CultureInfo.InvariantCulture),
        ]);
        await _host.StartAsync(cancellationToken).ConfigureAwait(false);
        // The stream thread runs in the runtime's StreamProcessingService (internal); the Kafka statistics collector is the other background service.
        _completion = _host.Services.GetServices<IHostedService>().OfType<BackgroundService>()
            .Where(s => s.GetType().Name == "StreamProcessingService").Select(s => s.ExecuteTask).OfType<Task>().FirstOrDefault()
            ?? throw new InvalidOperationException("The taker-volume host runs no stream-processing service.");
    }

    public async Task StopAsync()
    {
        if (_host is { } host)
        {
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is { } host)
        {
            await host.DisposeAsync().ConfigureAwait(false);
            _host = null;
        }
    }
}
