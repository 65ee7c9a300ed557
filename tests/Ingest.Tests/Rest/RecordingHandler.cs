using System.Collections.Concurrent;
using System.Globalization;
using System.Net;

namespace Ingest.Tests.Rest;

/// <summary>
/// Sits between the client under test and the network: records every response's status and
/// <c>X-MBX-USED-WEIGHT-1M</c> (the server's view of the weight used), and can send requests to another host, so one
/// client can be pointed at a second simulator.
/// </summary>
internal sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    public ConcurrentQueue<(HttpStatusCode Status, int? UsedWeight, string Path)> Responses { get; } = new();

    /// <summary>When set, requests go to this scheme, host and port instead of theirs.</summary>
    public Uri? RedirectTo { get; set; }

    public IEnumerable<int> UsedWeights => Responses.Where(r => r.UsedWeight is not null).Select(r => r.UsedWeight!.Value);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (RedirectTo is { } target && request.RequestUri is { } uri)
        {
            request.RequestUri = new UriBuilder(uri) { Scheme = target.Scheme, Host = target.Host, Port = target.Port }.Uri;
        }

        var response = await base.SendAsync(request, cancellationToken);
        int? used = response.Headers.TryGetValues("X-MBX-USED-WEIGHT-1M", out var values)
            ? int.Parse(values.Single(), CultureInfo.InvariantCulture)
            : null;
        Responses.Enqueue((response.StatusCode, used, request.RequestUri!.AbsolutePath));
        return response;
    }
}
