using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Streaming.Hosting;
using Streaming.Kafka;
using Streaming.Serialization;

namespace Ingest;

/// <summary>Builds the ingest pod's host; the program runs it, tests start the same host in-process.</summary>
public static class IngestHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults("ingest");
        builder.Services.AddKafkaClients();
        builder.Services.AddProtobufSerdes();
        builder.Services.AddValidatedOptions<IngestOptions>(IngestOptions.SectionName);
        builder.Services.AddSingleton<IValidateOptions<IngestOptions>, IngestOptionsValidator>();
        builder.Services.AddReadinessCondition(IngestService.ReadyCondition);
        builder.Services.AddSingleton<IngestMetrics>();
        builder.Services.AddHostedService<IngestService>();
        var app = builder.Build();
        app.MapServiceDefaults();
        return app;
    }
}
