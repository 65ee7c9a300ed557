namespace Ingest.Routing;

/// <summary>
/// What one Binance WebSocket text frame is, as far as the ingest pipeline cares: the three event types it
/// sequences and publishes with checks, the control traffic it must react to, and everything else, which it
/// still publishes untouched (so <see cref="Other"/> is the zero value: an unknown event is not an error).
/// </summary>
public enum FrameKind
{
    /// <summary>Any other event (bookTicker, ticker, markPrice, an array payload …): published, not sequenced.</summary>
    Other = 0,

    /// <summary><c>"e":"aggTrade"</c>: sequenced by its aggregate id <c>a</c>.</summary>
    AggTrade,

    /// <summary><c>"e":"depthUpdate"</c>: chained by <c>U</c>/<c>u</c> (Spot) or <c>pu</c> (USD-M futures).</summary>
    DepthUpdate,

    /// <summary><c>"e":"kline"</c>: the exchange's own totals, kept to reconcile windows against.</summary>
    Kline,

    /// <summary><c>"e":"serverShutdown"</c> or stream <c>!serverShutdown</c>: reconnect before the server drops us.</summary>
    ServerShutdown,

    /// <summary><c>{"result":…,"id":…}</c>: the answer to a SUBSCRIBE/UNSUBSCRIBE/LIST_SUBSCRIPTIONS request.</summary>
    Reply,

    /// <summary><c>{"error":{…},"id":…}</c> or <c>{"code":…,"msg":…}</c>: a request the server rejected.</summary>
    Error,
}
