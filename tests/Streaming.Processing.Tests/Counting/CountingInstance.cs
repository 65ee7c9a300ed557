using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Kafka;
using Streaming.Kafka.Statistics;
using Streaming.Processing.CountingApp;
using Streaming.Testing;

namespace Streaming.Processing.Tests.Counting;

/// <summary>One in-process instance of the counting topology against the embedded broker.</summary>
internal sealed class CountingInstance : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly StreamsApplication _application;

    public CountingInstance(EmbeddedKafkaFixture kafka, string applicationId, string input, string output, string stateDirectory, string instanceId,
        Action<ProcessingOptions>? configure = null, ILoggerFactory? loggerFactory = null, TimeProvider? time = null, ProcessingMetrics? metrics = null, Topology.Topology? topology = null)
    {
        Options = new ProcessingOptions
        {
            InstanceId = instanceId,
            StateDirectory = stateDirectory,
            CommitInterval = TimeSpan.FromMilliseconds(100),
            DeadLetterTopic = applicationId + "-dlq",
        };
        configure?.Invoke(Options);
        var factory = new KafkaClientFactory(Microsoft.Extensions.Options.Options.Create(kafka.Options(o => o.Consumer.SessionTimeout = TimeSpan.FromSeconds(6))),
            new KafkaStatisticsSink(), NullLogger<KafkaClientFactory>.Instance);
        Metrics = metrics ?? new ProcessingMetrics();
        _application = new StreamsApplication(topology ?? CountingTopology.Build(applicationId, input, output), Options, factory, Metrics, time ?? TimeProvider.System, loggerFactory ?? NullLoggerFactory.Instance);
        Run = _application.RunAsync(_stop.Token);
    }

    public ProcessingOptions Options { get; }

    public ProcessingMetrics Metrics { get; }

    public Task Run { get; }

    public StreamsApplication Application => _application;

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Run.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        if (!Run.IsCompleted)
        {
            await _stop.CancelAsync();
            try
            {
                await Run.WaitAsync(TimeSpan.FromSeconds(60));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Disposal after a failed test: the failure is already reported.
            }
        }

        _application.Dispose();
        Metrics.Dispose();
        _stop.Dispose();
    }
}
