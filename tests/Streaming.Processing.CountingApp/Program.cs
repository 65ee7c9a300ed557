using Microsoft.AspNetCore.Builder;
using Streaming.Hosting;
using Streaming.Processing.CountingApp;
using Streaming.Processing.Hosting;

// One instance of the counting topology: Counting:ApplicationId, Counting:InputTopic, Counting:OutputTopic; the
// runtime from Processing:*, Kafka from Kafka:*; /metrics, /healthz, /readyz on Service:Urls. Crash tests add
// Chaos:KillAtCommitPhase / Chaos:KillAfterCommits / Chaos:KillMarkerFile (see KillingCommitProbe) and
// Chaos:ParentPid (see ParentWatchdog).
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("counting");
var counting = builder.Configuration.GetSection("Counting");
var applicationId = counting["ApplicationId"] ?? "counting";
var input = counting["InputTopic"] ?? "counting.input";
var output = counting["OutputTopic"] ?? "counting.totals";
builder.Services.AddStreamProcessing(_ => CountingTopology.Build(applicationId, input, output));
KillingCommitProbe.Register(builder.Services, builder.Configuration);
ParentWatchdog.Register(builder.Services, builder.Configuration);
var app = builder.Build();
app.MapServiceDefaults();
return await app.RunServiceAsync();
