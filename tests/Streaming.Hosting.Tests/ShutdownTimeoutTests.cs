using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streaming.Hosting.Tests.Infrastructure;

namespace Streaming.Hosting.Tests;

public sealed class ShutdownTimeoutTests
{
    [Fact]
    public void HostOptions_NotConfigured_UsesTheDefault()
    {
        using var app = TestApp.Build(TestApp.CreateBuilder());

        Assert.Equal(ServiceOptions.DefaultShutdownTimeout, app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Fact]
    public void HostOptions_Configured_TakesServiceShutdownTimeout()
    {
        using var app = TestApp.Build(TestApp.CreateBuilder(new KeyValuePair<string, string?>("Service:ShutdownTimeout", "00:00:07")));

        Assert.Equal(TimeSpan.FromSeconds(7), app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Fact]
    public async Task StopAsync_ServiceIgnoringStop_IsCancelledAfterTheConfiguredTimeout()
    {
        var builder = TestApp.CreateBuilder(new KeyValuePair<string, string?>("Service:ShutdownTimeout", "00:00:01"));
        var stubborn = new StubbornService();
        builder.Services.AddSingleton<IHostedService>(stubborn);
        await using var app = await TestApp.StartAsync(builder);

        // With the 30 s default this would outlast the wait below.
        await app.App.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);

        Assert.True(stubborn.StopWasCancelled);
    }

    [Fact]
    public async Task RunService_ShutdownTimeoutOutOfRange_ExitsNamingTheKey()
    {
        var logs = new LogCapture();
        var builder = TestApp.CreateBuilder(new KeyValuePair<string, string?>("Service:ShutdownTimeout", "01:00:00"));
        builder.Logging.AddProvider(logs);

        var exitCode = await TestApp.Build(builder).RunServiceAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ServiceExitCode.InvalidConfiguration, exitCode);
        Assert.Equal(
            ["Invalid configuration: Service:ShutdownTimeout: The field ShutdownTimeout must be between 00:00:01 and 00:10:00 (was 01:00:00)."],
            logs.MessagesOf(100));
    }

    /// <summary>Stops only when the host gives up waiting, as a service stuck flushing would.</summary>
    private sealed class StubbornService : IHostedService
    {
        public bool StopWasCancelled { get; private set; }

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                StopWasCancelled = true;
            }
        }
    }
}
