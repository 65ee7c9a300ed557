using Streaming.Processing.Processors;

namespace Streaming.Processing.Tasks;

/// <summary>A scheduled callback: fires when its clock reaches <see cref="Next"/>, then schedules itself one interval after that moment.</summary>
internal sealed class Punctuation(long intervalMs, PunctuationType type, Action<long> callback) : IDisposable
{
    public PunctuationType Type { get; } = type;

    public long Next { get; private set; } = -1;

    public bool Cancelled { get; private set; }

    /// <summary>Fires if due at <paramref name="now"/>; the first call only arms it.</summary>
    public bool MaybeFire(long now)
    {
        if (Cancelled || now < 0)
        {
            return false;
        }

        if (Next < 0)
        {
            Next = now + intervalMs;
            return false;
        }

        if (now < Next)
        {
            return false;
        }

        Next = now + intervalMs;
        callback(now);
        return true;
    }

    public void Dispose() => Cancelled = true;
}
