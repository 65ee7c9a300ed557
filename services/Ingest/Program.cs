using Ingest;
using Streaming.Hosting;

// An ingest pod: its share of Binance's streams into the raw topics, /metrics, /healthz, /readyz.
return await IngestHost.Build(args).RunServiceAsync();
