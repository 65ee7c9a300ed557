using System.Globalization;
using BenchmarkDotNet.Attributes;
using Streaming.Processing.CountingApp;
using Streaming.Processing.State;

namespace Streaming.Processing.Benchmarks.Micro;

/// <summary>
/// The counting topology's store between two commits: <see cref="PutsPerKey"/> puts on each of 1,000 keys (times are
/// per put), then, for the change-logging store, the commit's <c>FlushChanges</c>: each changed key once, key and
/// <see cref="SumState"/> serialized, handed to a changelog writer that only counts bytes (the producer is not part of
/// this). Baseline: the same puts into the bare in-memory store (a dictionary), which has nothing to flush.
/// </summary>
[MemoryDiagnoser]
public class StoreBenchmarks
{
    private const int Keys = 1_000;

    private readonly CountingWriter _writer = new();
    private string[] _keys = [];
    private SumState[] _states = [];
    private InMemoryKeyValueStore<string, SumState> _plain = null!;
    private ChangeLoggingKeyValueStore<string, SumState> _logged = null!;

    /// <summary>1: every put changes another key (a commit's changelog is as large as its input); 10: ten records per key per commit coalesce into one changelog record.</summary>
    [Params(1, 10)]
    public int PutsPerKey { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _keys = [.. Enumerable.Range(0, Keys).Select(k => string.Create(CultureInfo.InvariantCulture, $"K{k:D5}"))];
        _states = [.. Enumerable.Range(0, Keys).Select(k =>
        {
            var state = new SumState { Total = 1_000_000L * k, Count = 100 + k, Revision = 100 + k };
            for (var id = 1; id <= 100 + k; id++)
            {
                state.Seen.TryAccept(id);
            }

            return state;
        })];
        _plain = new InMemoryKeyValueStore<string, SumState>("sums");
        _logged = new ChangeLoggingKeyValueStore<string, SumState>(new InMemoryKeyValueStore<string, SumState>("sums"), "bench-sums-changelog", StateSerdes.Utf8, new SumStateSerde());
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Keys * 10)]
    public int InMemoryPut()
    {
        // OperationsPerInvoke is fixed per benchmark: the puts are always 10 per key here, and the flush (none) is per commit.
        for (var round = 0; round < 10; round++)
        {
            for (var k = 0; k < Keys; k++)
            {
                _plain.Put(_keys[k], _states[k]);
            }
        }

        return _plain.Count;
    }

    [Benchmark(OperationsPerInvoke = Keys * 10)]
    public int ChangeLoggingPutAndFlush()
    {
        // 10 × 1,000 puts in every case; PutsPerKey says how many of them fall between two flushes.
        var written = 0;
        for (var commit = 0; commit < 10 / PutsPerKey; commit++)
        {
            for (var round = 0; round < PutsPerKey; round++)
            {
                for (var k = 0; k < Keys; k++)
                {
                    _logged.Put(_keys[k], _states[k]);
                }
            }

            written += _logged.FlushChanges(_writer, 0);
        }

        return written;
    }

    private sealed class CountingWriter : IChangelogWriter
    {
        public long Bytes { get; private set; }

        public void Write(string topic, int partition, byte[] key, byte[]? value) => Bytes += key.Length + (value?.Length ?? 0);
    }
}
