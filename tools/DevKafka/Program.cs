using DevKafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Streaming.Hosting;

// Hosts librdkafka's mock cluster with every topic of the catalog until Ctrl-C (or SIGTERM).
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ApplicationName = "DevKafka" });
builder.Configuration.AddCommandLine(args, CommandLine.Switches);
builder.Services.AddValidatedOptions<DevKafkaOptions>(DevKafkaOptions.SectionName);
builder.Services.AddHostedService<EmbeddedKafkaHost>();
return await builder.Build().RunServiceAsync();
