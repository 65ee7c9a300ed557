namespace TakerVolume.Benchmarks.Pipelines;

/// <summary>One way of turning the raw trades into outputs, started and stopped by the harness.</summary>
internal interface IPipeline : IAsyncDisposable
{
    /// <summary>The consumer group whose committed offsets tell how far the input is done.</summary>
    string GroupId { get; }

    /// <summary>The kernel id of the thread that processes the records, once known; 0 before.</summary>
    int ProcessingThread { get; }

    /// <summary>Faults if the pipeline fails.</summary>
    Task Completion { get; }

    /// <summary>Commits so far, and the time the processing thread spent in them (waiting for acknowledgements, committing offsets).</summary>
    (TimeSpan Time, long Count) Commits { get; }

    /// <summary>Creates the clients and starts processing.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops cleanly: last commit, leave the group (and, for the runtime, snapshots).</summary>
    Task StopAsync();
}

/// <summary>The pipelines the harness compares.</summary>
internal enum PipelineKind
{
    /// <summary>A: a plain Confluent.Kafka consume→produce loop.</summary>
    Baseline,

    /// <summary>B: the runtime with a processor that emits each record unchanged (no store).</summary>
    PassThrough,

    /// <summary>TV: the taker-volume topology on the runtime, built by the harness with names of its own.</summary>
    TakerVolume,

    /// <summary>TV host: the taker-volume processor as its program builds it (<c>TakerVolumeHost.Build</c>).</summary>
    TakerVolumeHost,
}

/// <summary>A pipeline with the topics it writes: the one watched for its first output, every output by label, its changelogs by store.</summary>
internal sealed record PipelineRun(
    PipelineKind Kind, IPipeline Pipeline, string Input, string FirstOutput, IReadOnlyDictionary<string, string> Outputs, IReadOnlyDictionary<string, string> Changelogs);
