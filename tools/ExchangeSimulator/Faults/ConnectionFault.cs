namespace ExchangeSimulator.Faults;

/// <summary>A fault to inject into WebSocket connections; unused fields are ignored for a kind.</summary>
public sealed record ConnectionFault
{
    public required ConnectionFaultKind Kind { get; init; }

    /// <summary>The connection (as listed by the control API); null means every connection of the region.</summary>
    public long? Connection { get; init; }

    /// <summary>How long a <see cref="ConnectionFaultKind.Stall"/> or <see cref="ConnectionFaultKind.Slow"/> lasts; null: until the connection ends.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Per-message delay of <see cref="ConnectionFaultKind.Slow"/>.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Messages duplicated or pairs reordered.</summary>
    public int Count { get; init; } = 1;

    /// <summary>Close status of <see cref="ConnectionFaultKind.Close"/>: 1011 is what users see from Binance's servers.</summary>
    public int CloseCode { get; init; } = 1011;

    public string? Reason { get; init; }

    /// <summary>The stream <see cref="ConnectionFaultKind.WithholdStream"/> stops, e.g. <c>btcusdt@kline_15m</c>.</summary>
    public string? Stream { get; init; }

    /// <summary>A problem with the fault's fields, or null.</summary>
    public string? Problem() => Kind switch
    {
        _ when !Enum.IsDefined(Kind) => $"unknown kind {Kind}",
        ConnectionFaultKind.Close when CloseCode is < 1000 or > 4999 or 1004 or 1005 or 1006 or 1015 => $"closeCode {CloseCode} cannot be sent on the wire",
        ConnectionFaultKind.Slow when Delay <= TimeSpan.Zero => "delay must be positive",
        ConnectionFaultKind.WithholdStream when string.IsNullOrEmpty(Stream) => "stream is required",
        ConnectionFaultKind.Duplicate or ConnectionFaultKind.Reorder when Count <= 0 => "count must be positive",
        _ when Duration is { } d && d <= TimeSpan.Zero => "duration must be positive",
        _ => null,
    };
}
