using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Streaming.Hosting.Tests.Infrastructure;

namespace Streaming.Hosting.Tests;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Healthz_RunningProcess_Returns200WithChecks()
    {
        await using var app = await TestApp.StartAsync();

        var (status, body) = await GetAsync(app, HostingExtensions.LivenessPath);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        var check = Assert.Single(body.GetProperty("checks").EnumerateArray());
        Assert.Equal("process", check.GetProperty("name").GetString());
        Assert.Equal("Healthy", check.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_UntilEveryConditionIsSet_Returns503()
    {
        var builder = TestApp.CreateBuilder();
        builder.Services.AddReadinessCondition("kafka-connected").AddReadinessCondition("state-restored");
        await using var app = await TestApp.StartAsync(builder);
        var gate = app.Services.GetRequiredService<ReadinessGate>();

        var (initialStatus, initialBody) = await GetAsync(app, HostingExtensions.ReadinessPath);
        gate.Set("kafka-connected");
        var (partialStatus, partialBody) = await GetAsync(app, HostingExtensions.ReadinessPath);
        gate.Set("state-restored");
        var (readyStatus, readyBody) = await GetAsync(app, HostingExtensions.ReadinessPath);
        gate.Reset("kafka-connected");
        var (lostStatus, _) = await GetAsync(app, HostingExtensions.ReadinessPath);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, initialStatus);
        Assert.Equal("waiting for: kafka-connected, state-restored", Description(initialBody));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, partialStatus);
        Assert.Equal("waiting for: state-restored", Description(partialBody));
        Assert.Equal(HttpStatusCode.OK, readyStatus);
        Assert.Equal("Healthy", readyBody.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, lostStatus);
    }

    [Fact]
    public async Task Readyz_NoConditionsDeclared_Returns200()
    {
        await using var app = await TestApp.StartAsync();

        var (status, _) = await GetAsync(app, HostingExtensions.ReadinessPath);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Healthz_WhileNotReady_StillReturns200()
    {
        var builder = TestApp.CreateBuilder();
        builder.Services.AddReadinessCondition("kafka-connected");
        await using var app = await TestApp.StartAsync(builder);

        var (status, _) = await GetAsync(app, HostingExtensions.LivenessPath);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    private static string? Description(JsonElement body) =>
        Assert.Single(body.GetProperty("checks").EnumerateArray()).GetProperty("description").GetString();

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(TestApp app, string path)
    {
        using var response = await app.Client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, JsonDocument.Parse(body).RootElement.Clone());
    }
}
