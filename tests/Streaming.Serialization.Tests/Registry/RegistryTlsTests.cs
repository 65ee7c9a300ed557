namespace Streaming.Serialization.Tests.Registry;

/// <summary>The registry client over HTTPS: it trusts the configured CA and no other, and presents its certificate for mutual TLS.</summary>
public sealed class RegistryTlsTests : IDisposable
{
    private const string Subject = "binance.all.events.dead-letter.v1-value";

    /// <summary>A contract without imports, so no references need registering first.</summary>
    private static readonly ProtobufSchema Schema = new(Convert.ToBase64String(Streaming.Contracts.Ops.V1.DeadLetterReflection.Descriptor.SerializedData.Span), []);
    private readonly TestCertificates _certificates = new("registry");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Register_ServerSignedByTheConfiguredCa_Succeeds()
    {
        await using var stub = await SchemaRegistryStub.StartAsync(Token, _certificates.Server);
        using var client = new SchemaRegistryClient(new SchemaRegistryOptions { Url = stub.Url, TrustedCaCertificate = _certificates.PublicAuthority() });

        var id = await client.RegisterAsync(Subject, Schema, Token);

        Assert.Equal(Uri.UriSchemeHttps, stub.Url.Scheme);
        Assert.True(id > 0);
    }

    [Fact]
    public async Task Register_ServerOfAnotherCa_IsRefusedWithoutRetries()
    {
        await using var stub = await SchemaRegistryStub.StartAsync(Token, _certificates.Server);
        using var other = new TestCertificates("other");
        using var client = new SchemaRegistryClient(new SchemaRegistryOptions { Url = stub.Url, TrustedCaCertificate = other.PublicAuthority(), MaxRetries = 0 });

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.RegisterAsync(Subject, Schema, Token));
        Assert.Empty(stub.Requests);
    }

    [Fact]
    public async Task Register_ServerRequiringClientCertificates_AcceptsTheConfiguredOne()
    {
        await using var stub = await SchemaRegistryStub.StartAsync(Token, _certificates.Server, _certificates.IssuedClient);
        using var withCertificate = new SchemaRegistryClient(new SchemaRegistryOptions
        {
            Url = stub.Url,
            TrustedCaCertificate = _certificates.PublicAuthority(),
            ClientCertificate = _certificates.Client,
        });
        using var without = new SchemaRegistryClient(new SchemaRegistryOptions { Url = stub.Url, TrustedCaCertificate = _certificates.PublicAuthority(), MaxRetries = 0 });

        Assert.True(await withCertificate.RegisterAsync(Subject, Schema, Token) > 0);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => without.RegisterAsync(Subject, Schema, Token));
    }

    public void Dispose() => _certificates.Dispose();
}
