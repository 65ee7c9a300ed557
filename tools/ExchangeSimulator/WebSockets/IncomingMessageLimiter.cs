namespace ExchangeSimulator.WebSockets;

/// <summary>
/// Binance's incoming-message limit: at most N messages in any one-second span. Keeps the times of the last
/// N messages in a ring; message N + 1 within a second of the oldest breaks the limit.
/// </summary>
internal sealed class IncomingMessageLimiter(int perSecond, TimeProvider time)
{
    private readonly long[] _recent = new long[perSecond];
    private int _next;
    private int _count;

    /// <summary>Counts one message; false when it exceeds the limit.</summary>
    public bool TryAdmit()
    {
        var now = time.GetTimestamp();
        if (_count == _recent.Length && time.GetElapsedTime(_recent[_next], now) < TimeSpan.FromSeconds(1))
        {
            return false;
        }

        _recent[_next] = now;
        _next = (_next + 1) % _recent.Length;
        _count = Math.Min(_count + 1, _recent.Length);
        return true;
    }
}
