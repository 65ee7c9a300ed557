namespace ExchangeSimulator.Replay;

/// <summary>The recording formats <see cref="RecordingSource"/> reads.</summary>
internal enum RecordingFileKind
{
    /// <summary>data.binance.vision aggTrades CSV.</summary>
    AggTradesCsv = 1,

    /// <summary>data.binance.vision klines CSV.</summary>
    KlinesCsv,

    /// <summary>One WebSocket payload (raw, combined or a snapshot wrapper) per line.</summary>
    JsonLines,

    /// <summary>cryptofeed's WebSocket capture (<c>BINANCE*.ws.*</c>).</summary>
    CryptofeedWebSocket,

    /// <summary>cryptofeed's REST capture (<c>BINANCE*.http.*</c>): the session's depth snapshots.</summary>
    CryptofeedRest,

    /// <summary>hftbacktest's gzip capture of <c>&lt;receive ns&gt; &lt;JSON&gt;</c> lines.</summary>
    HftBacktest,
}
