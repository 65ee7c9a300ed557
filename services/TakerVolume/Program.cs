using Streaming.Hosting;
using TakerVolume;

// The taker-volume processor of one market (TakerVolume:Market): raw aggTrades and klines in; normalized trades, exact
// tumbling and trailing taker volumes, alerts, reconciliations and feed gaps out; /metrics, /healthz, /readyz.
return await TakerVolumeHost.Build(args).RunServiceAsync();
