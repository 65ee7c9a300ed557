using System.Diagnostics;
using ExchangeSimulator.Hosting;
using ExchangeSimulator.Market;

namespace Ingest.Benchmarks;

/// <summary>
/// Advances the simulated exchange and measures the producer's own cost: wall-clock and thread CPU time spent inside
/// <see cref="SimulatedExchange.AdvanceTo"/> (market, ground truth, klines, JSON, hand-over to the connections).
/// Two ways: <see cref="Paced"/> (closed loop: fixed simulated steps back to back, pausing while the consumer is more
/// than a high-water mark behind: as fast as the consumer keeps up) and <see cref="Clocked"/> (open loop: the loop of
/// <see cref="SimulatedExchange.RunClockAsync"/>, simulated time = wall clock × speed, whatever the consumer does).
/// </summary>
internal sealed class SimulatorDriver
{
    /// <summary>Simulated time per step: about 1000 trades (50 ms at 20 000 trades/s), between 1 ms and 100 ms.</summary>
    public static long StepFor(double tradesPerSecond) =>
        Math.Clamp((long)(1000 * SimulatedTime.MicrosecondsPerSecond / tradesPerSecond), 1_000, 100_000);

    private readonly SimulatedExchange _exchange;
    private readonly Func<long>? _consumed;
    private readonly Func<bool>? _hold;
    private readonly long _stepUs;
    private readonly long _highWater;
    private readonly double _speed;
    private readonly Lock _lock = new();
    private State _state;

    private SimulatorDriver(SimulatedExchange exchange, Func<long>? consumed, Func<bool>? hold, long stepUs, long highWater, double speed)
    {
        _exchange = exchange;
        _consumed = consumed;
        _hold = hold;
        _stepUs = stepUs;
        _highWater = highWater;
        _speed = speed;
        _state = new State(0, 0, exchange.Market.NowUs, 0, 0);
    }

    /// <summary>
    /// Closed loop: keeps <c>DeliveredCount − consumed()</c> at most <paramref name="highWater"/>, and also waits while
    /// <paramref name="hold"/> says so.
    /// </summary>
    public static SimulatorDriver Paced(SimulatedExchange exchange, Func<long> consumed, long stepUs, long highWater, Func<bool>? hold = null) =>
        new(exchange, consumed, hold, stepUs, highWater, 0);

    /// <summary>Open loop at <paramref name="speed"/> simulated seconds per second, advanced every 10 ms.</summary>
    public static SimulatorDriver Clocked(SimulatedExchange exchange, double speed) => new(exchange, null, null, 0, 0, speed);

    public State Snapshot()
    {
        lock (_lock)
        {
            return _state;
        }
    }

    public Task RunAsync(CancellationToken cancellationToken) => _consumed is null ? RunClockAsync(cancellationToken) : RunPacedAsync(cancellationToken);

    private async Task RunPacedAsync(CancellationToken cancellationToken)
    {
        var state = Snapshot();
        while (!cancellationToken.IsCancellationRequested)
        {
            var backlog = _exchange.DeliveredCount - _consumed!();
            state = state with { MaxBacklog = Math.Max(state.MaxBacklog, backlog) };
            if (backlog > _highWater || _hold?.Invoke() == true)
            {
                state = state with { Waits = state.Waits + 1 };
                Publish(state);
                await Task.Delay(1, CancellationToken.None);
                continue;
            }

            state = Advance(state, state.NowUs + _stepUs);
        }
    }

    /// <summary>The loop of <see cref="SimulatedExchange.RunClockAsync"/> (10 ms tick), with its <c>AdvanceTo</c> measured.</summary>
    private async Task RunClockAsync(CancellationToken cancellationToken)
    {
        var state = Snapshot();
        var startUs = state.NowUs;
        var startTicks = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var target = startUs + (long)(Stopwatch.GetElapsedTime(startTicks).TotalMicroseconds * _speed);
                state = Advance(state, target);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private State Advance(State state, long until)
    {
        var began = Stopwatch.GetTimestamp();
        var cpu = ThreadCpu.Now();
        _exchange.AdvanceTo(until);
        state = state with
        {
            BusyTicks = state.BusyTicks + (Stopwatch.GetTimestamp() - began),
            CpuTicks = state.CpuTicks + (ThreadCpu.Now() - cpu).Ticks,
            NowUs = until,
        };
        Publish(state);
        return state;
    }

    private void Publish(State state)
    {
        lock (_lock)
        {
            _state = state;
        }
    }

    /// <param name="BusyTicks">Stopwatch ticks spent inside <c>AdvanceTo</c>.</param>
    /// <param name="CpuTicks">Thread CPU time spent inside <c>AdvanceTo</c>, in <see cref="TimeSpan"/> ticks.</param>
    /// <param name="NowUs">Simulated time reached.</param>
    /// <param name="MaxBacklog">Largest backlog seen (paced only).</param>
    /// <param name="Waits">Pauses for the consumer (paced only).</param>
    public readonly record struct State(long BusyTicks, long CpuTicks, long NowUs, long MaxBacklog, long Waits);
}

/// <summary>What the simulator's producer did during a window.</summary>
/// <param name="BusyShare">Share of the window spent inside <c>AdvanceTo</c> (one thread: at most 1).</param>
/// <param name="Cpu">Thread CPU time inside <c>AdvanceTo</c>.</param>
/// <param name="SimulatedSpeed">Simulated seconds per wall-clock second.</param>
/// <param name="Waits">Pauses for the consumer.</param>
/// <param name="MaxBacklog">Largest backlog seen since the driver started.</param>
internal sealed record DriverWindow(double BusyShare, TimeSpan Cpu, double SimulatedSpeed, long Waits, long MaxBacklog)
{
    public static DriverWindow Between(SimulatorDriver.State start, SimulatorDriver.State end, double seconds) => new(
        Stopwatch.GetElapsedTime(start.BusyTicks, end.BusyTicks).TotalSeconds / seconds,
        TimeSpan.FromTicks(end.CpuTicks - start.CpuTicks),
        (end.NowUs - start.NowUs) / (double)SimulatedTime.MicrosecondsPerSecond / seconds,
        end.Waits - start.Waits,
        end.MaxBacklog);
}
