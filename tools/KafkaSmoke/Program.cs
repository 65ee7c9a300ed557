using KafkaSmoke;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Streaming.Hosting;
using Streaming.Kafka;

// Checks a cluster against the topic catalog and round-trips keyed records through a consumer group.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ApplicationName = "KafkaSmoke" });
builder.Configuration.AddCommandLine(args, new Dictionary<string, string>(StringComparer.Ordinal)
{
    ["--bootstrap-servers"] = "Kafka:BootstrapServers",
    ["--records"] = "Smoke:Records",
});
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddKafkaClients();
builder.Services.AddValidatedOptions<SmokeOptions>(SmokeOptions.SectionName);
builder.Services.AddHostedService<SmokeWorker>();
return await builder.Build().RunServiceAsync();
