using System.Text;

namespace Streaming.Serialization.Tests.Registry;

/// <summary>The REST client against a registry stub on a real HTTP server.</summary>
public sealed class SchemaRegistryClientTests : IAsyncLifetime
{
    private static readonly ProtobufSchema Common = new(
        Convert.ToBase64String(Messages.CommonReflection.Descriptor.SerializedData.Span), []);

    private SchemaRegistryStub _stub = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _stub = await SchemaRegistryStub.StartAsync(Token);

    public async ValueTask DisposeAsync() => await _stub.DisposeAsync();

    [Fact]
    public async Task RegisterAsync_SameSchemaTwice_ReturnsSameIdFromTheRegistry()
    {
        using var first = Client();
        using var second = Client();

        var a = await first.RegisterAsync("common.proto", Common, Token);
        var b = await second.RegisterAsync("common.proto", Common, Token);

        Assert.Equal(a, b);
    }

    [Fact]
    public async Task RegisterAsync_Cached_MakesOneRequest()
    {
        using var client = Client();

        await client.RegisterAsync("s", Common, Token);
        await client.RegisterAsync("s", Common, Token);

        Assert.Single(_stub.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task LookUpAsync_Registered_ReturnsIdAndVersion()
    {
        using var client = Client();
        var id = await client.RegisterAsync("common.proto", Common, Token);

        var found = await client.LookUpAsync("common.proto", Common, Token);

        Assert.Equal((id, "common.proto", (int?)1), (found.Id, found.Subject, found.Version));
    }

    [Fact]
    public async Task GetByIdAsync_Registered_ReturnsSchemaText()
    {
        using var client = Client();
        var id = await client.RegisterAsync("common.proto", Common, Token);

        var schema = await Client().GetByIdAsync(id, Token);

        Assert.Equal(Common.Schema, schema.Schema.Schema);
    }

    [Fact]
    public async Task LookUpAsync_UnknownSubject_ThrowsSubjectNotFoundWithoutRetry()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.LookUpAsync("missing-value", Common, Token));

        Assert.Equal(SchemaRegistryException.SubjectNotFound, error.ErrorCode);
        Assert.Equal("Subject 'missing-value' not found.", error.RegistryMessage);
        Assert.Single(_stub.Requests);
    }

    [Fact]
    public async Task GetByIdAsync_UnknownId_ThrowsSchemaNotFound()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetByIdAsync(999, Token));

        Assert.Equal(SchemaRegistryException.SchemaNotFound, error.ErrorCode);
    }

    [Fact]
    public async Task RegisterAsync_InvalidSchema_Throws42201WithoutRetry()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterAsync("bad", new ProtobufSchema("not a schema", []), Token));

        Assert.Equal(SchemaRegistryException.InvalidSchema, error.ErrorCode);
        Assert.Single(_stub.Requests);
    }

    [Fact]
    public async Task RegisterAsync_TwoServerErrors_RetriesThenSucceeds()
    {
        using var client = Client();
        _stub.FailNext(2);

        var id = await client.RegisterAsync("common.proto", Common, Token);

        Assert.True(id > 0);
        Assert.Equal(3, _stub.Requests.Count);
    }

    [Fact]
    public async Task RegisterAsync_TooManyRequests_IsRetried()
    {
        using var client = Client();
        _stub.FailNext(1, status: 429);

        await client.RegisterAsync("common.proto", Common, Token);

        Assert.Equal(2, _stub.Requests.Count);
    }

    [Fact]
    public async Task RegisterAsync_ServerErrorsPastRetries_ThrowsWithErrorCode()
    {
        using var client = Client();
        _stub.FailNext(10);

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterAsync("common.proto", Common, Token));

        Assert.Equal(50001, error.ErrorCode);
        Assert.Equal(4, _stub.Requests.Count);
    }

    [Fact]
    public async Task RegisterAsync_SlowAttempt_TimesOutAndRetries()
    {
        using var client = Client(attemptTimeout: TimeSpan.FromMilliseconds(200));
        _stub.Latency = TimeSpan.FromSeconds(2);
        var attempt = Task.Run(() => client.RegisterAsync("common.proto", Common, Token), Token);
        await Streaming.Testing.Eventually.TrueAsync(() => _stub.Requests.Count >= 2, TimeSpan.FromSeconds(10), "a second attempt after the first timed out", Token);
        _stub.Latency = TimeSpan.Zero;

        Assert.True(await attempt > 0);
    }

    [Fact]
    public async Task Requests_WithBasicAuth_CarryAuthorizationHeader()
    {
        using var client = new SchemaRegistryClient(new SchemaRegistryOptions { Url = _stub.Url, BasicAuthUser = "user", BasicAuthPassword = "secret" });

        await client.RegisterAsync("common.proto", Common, Token);

        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user:secret"));
        Assert.Equal(expected, Assert.Single(_stub.Requests).Authorization);
    }

    private SchemaRegistryClient Client(TimeSpan? attemptTimeout = null) => new(new SchemaRegistryOptions
    {
        Url = _stub.Url,
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(10),
    });
}
