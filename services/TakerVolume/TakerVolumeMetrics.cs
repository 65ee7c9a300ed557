using System.Diagnostics.Metrics;

namespace TakerVolume;

/// <summary>The processor's metrics (meter <c>Streaming.TakerVolume</c>), exported on /metrics as <c>taker_volume_*</c>.</summary>
public sealed class TakerVolumeMetrics : IDisposable
{
    public const string MeterName = "Streaming.TakerVolume";

    private readonly Meter _meter;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _exchangeInvalid;
    private readonly Counter<long> _invalid;
    private readonly Counter<long> _late;
    private readonly Counter<long> _expired;
    private readonly Counter<long> _filtered;
    private readonly Counter<long> _windows;
    private readonly Counter<long> _sliding;
    private readonly Counter<long> _alerts;
    private readonly Counter<long> _gaps;
    private readonly Counter<long> _reconciliations;
    private readonly Counter<long> _klines;
    private long _eventTimeLagMs;

    public TakerVolumeMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _accepted = _meter.CreateCounter<long>("taker_volume.trades.accepted", description: "Aggregate trades counted (each id once).");
        _duplicates = _meter.CreateCounter<long>("taker_volume.trades.duplicates", description: "Aggregate trades dropped as repeats of an id already counted.");
        _exchangeInvalid = _meter.CreateCounter<long>("taker_volume.trades.exchange_invalid", description: "Rows the exchange marks invalid (p=0, q=0, f=l=-1): left out of windows as klines leave them out.");
        _invalid = _meter.CreateCounter<long>("taker_volume.records.invalid", description: "Records dead-lettered, by reason.");
        _late = _meter.CreateCounter<long>("taker_volume.trades.late", description: "Trades that arrived after their window's final value (a new revision follows).");
        _expired = _meter.CreateCounter<long>("taker_volume.trades.expired", description: "Trades older than the window retention (dead-lettered).");
        _filtered = _meter.CreateCounter<long>("taker_volume.trades.filtered", description: "Trades of symbols outside the configured filter.");
        _windows = _meter.CreateCounter<long>("taker_volume.windows.emitted", description: "Tumbling window values published, by kind (interim, final, revision).");
        _sliding = _meter.CreateCounter<long>("taker_volume.sliding.emitted", description: "Trailing window values published.");
        _alerts = _meter.CreateCounter<long>("taker_volume.alerts", description: "Alerts published, by kind.");
        _gaps = _meter.CreateCounter<long>("taker_volume.gaps.reported", description: "Feed gap records published, by state (open, filled, given_up, reconciliation).");
        _reconciliations = _meter.CreateCounter<long>("taker_volume.reconciliations", description: "Closed windows compared with the exchange's kline, by outcome.");
        _klines = _meter.CreateCounter<long>("taker_volume.klines", description: "Kline events read, by state (open, closed, ignored).");
        _meter.CreateObservableGauge("taker_volume.event_time.lag", () => Interlocked.Read(ref _eventTimeLagMs) / 1000.0, unit: "s",
            description: "Wall clock minus the processor's stream time (the newest exchange time seen).");
    }

    public void Accepted() => _accepted.Add(1);

    public void Duplicate() => _duplicates.Add(1);

    public void ExchangeInvalid() => _exchangeInvalid.Add(1);

    public void Invalid(string reason) => _invalid.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Late() => _late.Add(1);

    public void Expired() => _expired.Add(1);

    public void Filtered() => _filtered.Add(1);

    public void WindowEmitted(string kind) => _windows.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void SlidingEmitted() => _sliding.Add(1);

    public void Alert(string kind) => _alerts.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void Gap(string state) => _gaps.Add(1, new KeyValuePair<string, object?>("state", state));

    public void Reconciled(string outcome) => _reconciliations.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Kline(string state) => _klines.Add(1, new KeyValuePair<string, object?>("state", state));

    public void SetEventTimeLag(long milliseconds) => Interlocked.Exchange(ref _eventTimeLagMs, milliseconds);

    public void Dispose() => _meter.Dispose();
}
