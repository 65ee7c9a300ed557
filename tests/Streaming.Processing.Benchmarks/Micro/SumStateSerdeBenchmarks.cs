using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Streaming.Processing.CountingApp;

namespace Streaming.Processing.Benchmarks.Micro;

/// <summary>
/// <see cref="SumStateSerde"/> round trip (serialize, then deserialize: what a changelog write and its restore cost per
/// key): a state whose ids arrived in order (the tracker holds only its watermark) and one with 16 open holes; against
/// the state's three fixed 8-byte fields alone (a new <see cref="SumState"/> still gets an empty tracker, unserialized).
/// </summary>
[MemoryDiagnoser]
public class SumStateSerdeBenchmarks
{
    private readonly SumStateSerde _serde = new();
    private SumState _contiguous = null!;
    private SumState _holes = null!;

    [GlobalSetup]
    public void Setup()
    {
        _contiguous = new SumState { Total = 123_456_789, Count = 400, Revision = 400 };
        for (var id = 1; id <= 400; id++)
        {
            _contiguous.Seen.TryAccept(id);
        }

        _holes = new SumState { Total = 123_456_789, Count = 384, Revision = 384 };
        for (var id = 1; id <= 400; id++)
        {
            if (id % 25 != 0)
            {
                _holes.Seen.TryAccept(id);
            }
        }
    }

    /// <summary>Each benchmark returns the new state, so that the JIT cannot keep it on the stack.</summary>
    [Benchmark(Baseline = true)]
    public SumState FixedFieldsOnly()
    {
        var bytes = new byte[24];
        BinaryPrimitives.WriteInt64BigEndian(bytes, _contiguous.Total);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(8), _contiguous.Count);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(16), _contiguous.Revision);
        return new SumState
        {
            Total = BinaryPrimitives.ReadInt64BigEndian(bytes),
            Count = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(8)),
            Revision = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(16)),
        };
    }

    [Benchmark]
    public SumState RoundTripIdsInOrder() => _serde.Deserialize(_serde.Serialize(_contiguous));

    [Benchmark]
    public SumState RoundTrip16Holes() => _serde.Deserialize(_serde.Serialize(_holes));
}
