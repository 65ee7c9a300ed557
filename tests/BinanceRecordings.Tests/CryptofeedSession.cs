namespace BinanceRecordings.Tests;

/// <summary>One recorded cryptofeed session: its WebSocket capture and the REST snapshots taken with it.</summary>
internal sealed record CryptofeedSession(IReadOnlyList<CapturedMessage> Stream, IReadOnlyList<CapturedMessage> Rest)
{
    public static TheoryData<string, string, string> All => new()
    {
        { "4fe0297", "BINANCE.ws.1.0", "BINANCE.http.0.0" },
        { "3525dc8", "BINANCE.ws.1.0", "BINANCE.http.0.0" },
        { "3525dc8", "BINANCE_FUTURES.ws.5.0", "BINANCE_FUTURES.http.4.0" },
        { "906605d", "BINANCE_FUTURES.ws.1.0", "BINANCE_FUTURES.http.0.0" },
    };

    public static async Task<CryptofeedSession> LoadAsync(string folder, string webSocketFile, string restFile)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var stream = await CryptofeedCaptureReader.ReadFileAsync(SharedData.File("cryptofeed", folder, webSocketFile), cancellation).ToListAsync(cancellation);
        var rest = await CryptofeedCaptureReader.ReadFileAsync(SharedData.File("cryptofeed", folder, restFile), cancellation).ToListAsync(cancellation);
        return new CryptofeedSession(stream, rest);
    }

    public ILookup<string, T> BySymbol<T>(string eventType, Func<CapturedMessage, T> parse) =>
        Stream.Where(message => message.EventType == eventType).ToLookup(message => message.Symbol!, parse);
}
