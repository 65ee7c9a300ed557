using Google.Protobuf;
using Streaming.Processing.Idempotence;
using Streaming.Processing.State;
using TakerVolume.State.V1;

namespace TakerVolume.Dedup;

/// <summary>A <see cref="SymbolDedup"/> as a <c>binance.state.v1.DedupState</c> changelog value.</summary>
internal sealed class SymbolDedupSerde(int maxRanges) : IStateSerde<SymbolDedup>
{
    public byte[] Serialize(SymbolDedup value)
    {
        var state = new DedupState
        {
            Tracker = ByteString.CopyFrom(value.Seen.ToBytes()),
            FirstTradeId = value.FirstTradeId,
            GapRevision = value.GapRevision,
        };
        foreach (var hole in value.Holes)
        {
            state.Holes.Add(new State.V1.HoleTimer { First = hole.Range.First, Last = hole.Range.Last, OpenedAtMs = hole.OpenedAtMs, Reported = hole.Reported });
        }

        return state.ToByteArray();
    }

    public SymbolDedup Deserialize(ReadOnlySpan<byte> bytes)
    {
        var state = DedupState.Parser.ParseFrom(bytes);
        var dedup = new SymbolDedup(SequenceTracker.ReadFrom(state.Tracker.Span, maxRanges))
        {
            FirstTradeId = state.FirstTradeId,
            GapRevision = state.GapRevision,
        };
        foreach (var hole in state.Holes)
        {
            dedup.Holes.Add(new HoleTimer(new IdRange(hole.First, hole.Last), hole.OpenedAtMs, hole.Reported));
        }

        return dedup;
    }
}
