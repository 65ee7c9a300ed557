using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Streaming.Serialization.Registry;

/// <summary>The HTTP side of the registry client: authentication, TLS, and which failures are retried.</summary>
internal static class RegistryHttp
{
    public const string MediaType = "application/vnd.schemaregistry.v1+json";

    public static HttpClient CreateClient(SchemaRegistryOptions options)
    {
        var handler = new SocketsHttpHandler();
        if (options.ClientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [options.ClientCertificate];
        }

        if (options.TrustedCaCertificate is { } ca)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => ChainsTo(ca, certificate, errors);
        }

        var client = new HttpClient(handler)
        {
            BaseAddress = options.Url.AbsoluteUri.EndsWith('/') ? options.Url : new Uri(options.Url.AbsoluteUri + "/"),
            // Each attempt has its own timeout in the pipeline; the client's would cut retries short.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaType));
        if (options.BasicAuthUser is not null)
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.BasicAuthUser}:{options.BasicAuthPassword}"));
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", token);
        }

        return client;
    }

    /// <summary>Retries with exponential backoff and jitter on transient failures only; 4xx other than 408/429 are final.</summary>
    public static ResiliencePipeline<HttpResponseMessage> CreatePipeline(SchemaRegistryOptions options)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = options.TimeProvider };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(response => IsTransient(response.StatusCode)),
            });
        }

        return builder.AddTimeout(options.AttemptTimeout).Build();
    }

    public static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    private static bool ChainsTo(X509Certificate2 ca, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
