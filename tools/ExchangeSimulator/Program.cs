using ExchangeSimulator.Control;
using ExchangeSimulator.Service;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Streaming.Hosting;

// The exchange simulator as a service: markets on their regions' listeners, and on the service's own
// address the control and ground-truth API plus /metrics, /healthz and /readyz.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("exchange-simulator");
builder.Services.AddValidatedOptions<SimulatorOptions>(SimulatorOptions.SectionName);
builder.Services.AddSingleton<IValidateOptions<SimulatorOptions>, SimulatorOptionsValidator>();
builder.Services.AddReadinessCondition(SimulatorService.ReadyCondition);
builder.Services.AddSingleton<SimulatorService>();
builder.Services.AddSingleton<ISimulatedExchanges>(provider => provider.GetRequiredService<SimulatorService>());
builder.Services.AddHostedService(provider => provider.GetRequiredService<SimulatorService>());
var app = builder.Build();
app.MapServiceDefaults();
app.MapSimulatorControl(app.Services.GetRequiredService<ISimulatedExchanges>());
return await app.RunServiceAsync();
