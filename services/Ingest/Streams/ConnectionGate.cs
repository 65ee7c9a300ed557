namespace Ingest.Streams;

/// <summary>
/// Spaces new connections of one pod: Binance Spot allows 300 connection attempts per 5 minutes per IP, so
/// attempts (reconnects included) take turns at least <c>interval</c> apart.
/// </summary>
internal sealed class ConnectionGate(TimeSpan interval, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private long _lastTimestamp;

    public async Task WaitTurnAsync(CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_lastTimestamp != 0)
            {
                var wait = interval - time.GetElapsedTime(_lastTimestamp);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                }
            }

            _lastTimestamp = time.GetTimestamp();
        }
        finally
        {
            _turn.Release();
        }
    }

    public void Dispose() => _turn.Dispose();
}
