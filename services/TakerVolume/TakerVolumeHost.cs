using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Streaming.Hosting;
using Streaming.Kafka;
using Streaming.Processing;
using Streaming.Processing.Hosting;
using Streaming.Serialization;
using Streaming.Topics;
using TakerVolume.Configuration;
using TakerVolume.Topology;

namespace TakerVolume;

/// <summary>Builds the taker-volume processor's host; the program runs it, tests start the same host in-process.</summary>
public static class TakerVolumeHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults("taker-volume");
        builder.Services.AddKafkaClients();
        builder.Services.AddProtobufSerdes();
        builder.Services.AddValidatedOptions<TakerVolumeOptions>(TakerVolumeOptions.SectionName);
        builder.Services.AddSingleton<IValidateOptions<TakerVolumeOptions>, TakerVolumeOptionsValidator>();
        builder.Services.AddSingleton(sp => new TakerVolumeMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        builder.Services.AddStreamProcessing(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TakerVolumeOptions>>().Value;
            new TakerVolumeTopics(options.Market).EnsureDeclaredIn(TopicCatalog.LoadDefault());
            return TakerVolumeTopology.Build(
                options,
                sp.GetRequiredService<TakerVolumeMetrics>(),
                sp.GetRequiredService<ProtobufSerdes>(),
                sp.GetRequiredService<IOptions<ProcessingOptions>>().Value.InstanceId);
        });
        var app = builder.Build();
        app.MapServiceDefaults();
        return app;
    }
}
