using System.Diagnostics;

namespace Streaming.Testing;

/// <summary>
/// Waits for a condition by polling it until a deadline, the only way tests synchronize with
/// background work (never a fixed sleep).
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what, CancellationToken cancellationToken = default) =>
        TrueAsync(() => Task.FromResult(condition()), timeout, what, cancellationToken);

    /// <exception cref="TimeoutException">The condition did not hold within <paramref name="timeout"/>; the message says what was awaited.</exception>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for: {what}");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }
}
