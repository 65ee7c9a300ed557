using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Streaming.Processing.Idempotence;

namespace Streaming.Processing.Benchmarks.Micro;

/// <summary>
/// <see cref="SequenceTracker.TryAccept(long)"/>, the counting topology's per-record identity check: 1,024 ids into a
/// new tracker per invocation (times are per id), in order, with 2 % of neighbours swapped (the throughput input's
/// reordering), and with holes filled late; against the naive way to remember ids, a <see cref="HashSet{T}"/> of
/// them (unbounded memory: 1,024 ids are about 20 KB there, a few bytes in the tracker). Repeats: the same ids offered
/// again to a tracker (a set) that has them all.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SequenceTrackerBenchmarks
{
    private const int Ids = 1_024;
    private const string Accept = "Accept 1,024 new ids";
    private const string Reject = "Reject 1,024 repeats";

    private long[] _inOrder = [];
    private long[] _swapped = [];
    private long[] _holes = [];
    private SequenceTracker _full = new();
    private HashSet<long> _fullSet = [];

    [GlobalSetup]
    public void Setup()
    {
        _inOrder = [.. Enumerable.Range(1, Ids).Select(i => (long)i)];
        _swapped = [.. _inOrder];
        var random = new Random(1);
        for (var i = 1; i < _swapped.Length; i++)
        {
            if (random.NextDouble() < 0.02)
            {
                (_swapped[i - 1], _swapped[i]) = (_swapped[i], _swapped[i - 1]);
            }
        }

        // Every 16th id arrives 64 ids late: about 4 holes open at a time, each filled later, which joins two ranges.
        var late = new List<(int At, long Id)>();
        var holes = new List<long>(Ids);
        for (var i = 1; i <= Ids; i++)
        {
            if (i % 16 == 0 && i + 64 <= Ids)
            {
                late.Add((i + 64, i));
            }
            else
            {
                holes.Add(i);
            }

            holes.AddRange(late.Where(l => l.At == i).Select(l => l.Id));
        }

        _holes = [.. holes];
        _full = new SequenceTracker();
        _fullSet = [];
        foreach (var id in _inOrder)
        {
            _full.TryAccept(id);
            _fullSet.Add(id);
        }
    }

    [BenchmarkCategory(Accept), Benchmark(Baseline = true, OperationsPerInvoke = Ids)]
    public int HashSetInOrder()
    {
        var set = new HashSet<long>();
        var accepted = 0;
        foreach (var id in _inOrder)
        {
            accepted += set.Add(id) ? 1 : 0;
        }

        return accepted;
    }

    [BenchmarkCategory(Accept), Benchmark(OperationsPerInvoke = Ids)]
    public int InOrder() => AcceptAll(_inOrder);

    [BenchmarkCategory(Accept), Benchmark(OperationsPerInvoke = Ids)]
    public int NeighboursSwapped2Percent() => AcceptAll(_swapped);

    [BenchmarkCategory(Accept), Benchmark(OperationsPerInvoke = Ids)]
    public int HolesFilledLate() => AcceptAll(_holes);

    [BenchmarkCategory(Reject), Benchmark(Baseline = true, OperationsPerInvoke = Ids)]
    public int HashSetRepeats()
    {
        var accepted = 0;
        foreach (var id in _inOrder)
        {
            accepted += _fullSet.Add(id) ? 1 : 0;
        }

        return accepted;
    }

    [BenchmarkCategory(Reject), Benchmark(OperationsPerInvoke = Ids)]
    public int Repeats()
    {
        var accepted = 0;
        foreach (var id in _inOrder)
        {
            accepted += _full.TryAccept(id) ? 1 : 0;
        }

        return accepted;
    }

    private static int AcceptAll(long[] ids)
    {
        var tracker = new SequenceTracker();
        var accepted = 0;
        foreach (var id in ids)
        {
            accepted += tracker.TryAccept(id) ? 1 : 0;
        }

        return accepted;
    }
}
