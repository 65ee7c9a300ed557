using ExchangeSimulator.Market;

namespace ExchangeSimulator.WebSockets;

/// <summary>
/// What a WebSocket URL asks for: raw (<c>/ws/a/b</c>) or combined (<c>/stream?streams=a/b</c>) delivery, the
/// initial streams, the time unit, and on USD-M futures which of the 2026 path families it used
/// (<c>/public</c>: depth; <c>/market</c>: trades and klines; neither: legacy).
/// </summary>
public sealed record StreamRoute
{
    public required bool Combined { get; init; }

    public required IReadOnlyList<string> Streams { get; init; }

    public bool Microseconds { get; init; }

    public FuturesPathFamily Family { get; init; } = FuturesPathFamily.None;

    /// <summary>Parses a request path and query; null with a reason when it is not a stream URL of this market.</summary>
    public static StreamRoute? TryParse(string path, string? streamsQuery, string? timeUnitQuery, MarketFlavor flavor, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(path);
        problem = null;
        var family = FuturesPathFamily.None;
        if (flavor == MarketFlavor.UsdmFutures)
        {
            if (path.StartsWith("/public/", StringComparison.Ordinal))
            {
                family = FuturesPathFamily.Public;
                path = path["/public".Length..];
            }
            else if (path.StartsWith("/market/", StringComparison.Ordinal))
            {
                family = FuturesPathFamily.Market;
                path = path["/market".Length..];
            }
            else
            {
                family = FuturesPathFamily.Legacy;
            }
        }

        var microseconds = false;
        if (timeUnitQuery is not null)
        {
            if (timeUnitQuery.Equals("MICROSECOND", StringComparison.OrdinalIgnoreCase) && flavor == MarketFlavor.Spot)
            {
                microseconds = true;
            }
            else if (!timeUnitQuery.Equals("MILLISECOND", StringComparison.OrdinalIgnoreCase) && flavor == MarketFlavor.Spot)
            {
                problem = $"Invalid timeUnit '{timeUnitQuery}': expected MILLISECOND or MICROSECOND";
                return null;
            }
        }

        if (path is "/ws" or "/ws/")
        {
            return new StreamRoute { Combined = false, Streams = [], Microseconds = microseconds, Family = family };
        }

        if (path.StartsWith("/ws/", StringComparison.Ordinal))
        {
            return new StreamRoute { Combined = false, Streams = Split(path["/ws/".Length..]), Microseconds = microseconds, Family = family };
        }

        if (path is "/stream" or "/stream/")
        {
            return new StreamRoute { Combined = true, Streams = Split(streamsQuery), Microseconds = microseconds, Family = family };
        }

        problem = "Not a stream path: use /ws/<stream>, /ws, or /stream?streams=<a>/<b>";
        return null;
    }

    /// <summary>Whether a connection on this route may receive <paramref name="stream"/>.</summary>
    public bool Delivers(string stream, bool legacyWithholdsKlines)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var isDepth = stream.Contains("@depth", StringComparison.Ordinal);
        return Family switch
        {
            FuturesPathFamily.Public => isDepth,
            FuturesPathFamily.Market => !isDepth,
            FuturesPathFamily.Legacy => !(legacyWithholdsKlines && stream.Contains("@kline_", StringComparison.Ordinal)),
            _ => true,
        };
    }

    private static string[] Split(string? streams) =>
        string.IsNullOrEmpty(streams) ? [] : streams.Split('/', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>USD-M futures' URL families since the 2026 split.</summary>
public enum FuturesPathFamily
{
    /// <summary>Spot: no families.</summary>
    None,

    /// <summary><c>/public/…</c>: order-book streams.</summary>
    Public,

    /// <summary><c>/market/…</c>: trades, klines and other market streams.</summary>
    Market,

    /// <summary>The pre-split paths.</summary>
    Legacy,
}
