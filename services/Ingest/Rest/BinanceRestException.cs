using System.Net;

namespace Ingest.Rest;

/// <summary>
/// Binance answered a REST request with a status other than 2xx. <see cref="Code"/> and <see cref="BinanceMessage"/>
/// come from its error body <c>{"code":-1121,"msg":"Invalid symbol."}</c> when there is one (a 503 from a load
/// balancer or a 403 from the WAF has none), so callers can tell a bad request (never retried) from an outage.
/// </summary>
internal class BinanceRestException : Exception
{
    public BinanceRestException()
    {
    }

    public BinanceRestException(string message)
        : base(message)
    {
    }

    public BinanceRestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public BinanceRestException(HttpStatusCode status, int? code, string? binanceMessage, Uri? requestUri)
        : base(Describe(status, code, binanceMessage, requestUri))
    {
        Status = status;
        Code = code;
        BinanceMessage = binanceMessage;
        RequestUri = requestUri;
    }

    public HttpStatusCode Status { get; }

    /// <summary>Binance's error code, e.g. -1121 (bad symbol), -1003 (too much request weight); null without an error body.</summary>
    public int? Code { get; }

    /// <summary>Binance's <c>msg</c>; null without an error body.</summary>
    public string? BinanceMessage { get; }

    public Uri? RequestUri { get; }

    /// <summary>5xx and 408: the exchange or something in front of it failed, not the request; worth retrying.</summary>
    public bool IsTransient => (int)Status >= 500 || Status == HttpStatusCode.RequestTimeout;

    private static string Describe(HttpStatusCode status, int? code, string? message, Uri? uri) =>
        $"Binance REST {(int)status} {status}{(code is { } c ? $", code {c}" : string.Empty)}{(message is null ? string.Empty : $": {message}")}"
        + (uri is null ? string.Empty : $" ({uri.AbsolutePath})");
}
